"""A string a simple regular expression matches, built from the expression itself."""

from __future__ import annotations

import re
from dataclasses import dataclass

# per escape: (the lowest, the highest) character it stands for
_ESCAPES = {"d": ("0", "9"), "w": ("a", "z"), "s": (" ", " "), "D": ("a", "z"), "S": ("a", "z")}
_CONTROL = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v", "0": "\0"}
_CLASS_ESCAPES = {"d": [("0", "9")], "w": [("a", "z"), ("A", "Z"), ("0", "9"), ("_", "_")]}
_OUTSIDE = {False: "aA0x-_.~ ", True: "zZ9x-_.~ "}  # tried in order for a negated class
_MAX_REPEAT = 64


class _Unsupported(Exception):
    """The expression uses what synthesis does not handle (lookaround, backreference, …)."""


@dataclass
class _Reader:
    pattern: str
    high: bool  # the last character of each class instead of the first
    pos: int = 0

    def peek(self) -> str:
        return self.pattern[self.pos] if self.pos < len(self.pattern) else ""

    def take(self) -> str:
        char = self.peek()
        if not char:
            raise _Unsupported("unexpected end")
        self.pos += 1
        return char

    def alternation(self) -> str:
        first = self.sequence()
        while self.peek() == "|":
            self.pos += 1
            self.sequence()  # parsed to move on; the first branch is the one used
        return first

    def sequence(self) -> str:
        out: list[str] = []
        while self.peek() not in ("", "|", ")"):
            atom = self.atom()
            low, high = self.quantifier()
            count = low if low > 0 else min(1, high if high is not None else 1)
            out.append(atom * count)
        return "".join(out)

    def quantifier(self) -> tuple[int, int | None]:
        char = self.peek()
        bounds: tuple[int, int | None]
        if char in ("*", "+", "?"):
            self.pos += 1
            bounds = {"*": (0, None), "+": (1, None), "?": (0, 1)}[char]
        elif char == "{" and (found := re.match(r"\{(\d+)(,(\d*))?\}", self.pattern[self.pos :])):
            self.pos += found.end()
            low = int(found.group(1))
            high = (
                low if found.group(2) is None else int(found.group(3)) if found.group(3) else None
            )
            bounds = (low, high)
        else:
            return 1, 1
        if self.peek() in ("?", "+"):
            self.pos += 1  # lazy or possessive: the same strings match
        if bounds[0] > _MAX_REPEAT:
            raise _Unsupported("repeat too long")
        return bounds

    def atom(self) -> str:
        char = self.take()
        if char in ("^", "$"):
            return ""
        if char == ".":
            return "z" if self.high else "a"
        if char == "(":
            if self.peek() == "?":
                self.pos += 1
                mark = self.take()
                if mark == "P" or (mark == "<" and self.peek() not in ("=", "!")):
                    if mark == "P" and self.take() != "<":
                        raise _Unsupported("named backreference")
                    while self.take() != ">":
                        pass
                elif mark != ":":
                    raise _Unsupported("lookaround or inline flag")
            inner = self.alternation()
            if self.take() != ")":
                raise _Unsupported("unbalanced group")
            return inner
        if char == "[":
            return self.char_class()
        if char == "\\":
            return self.escape()
        if char in ("*", "+", "?", "{", ")", "|"):
            raise _Unsupported(f"misplaced {char}")
        return char

    def escape(self) -> str:
        char = self.take()
        if char in _ESCAPES:
            return _ESCAPES[char][1 if self.high else 0]
        if char == "W":
            return "-"
        if (char.isdigit() and char != "0") or char in ("b", "B", "A", "Z", "z", "k", "p", "P"):
            raise _Unsupported(f"\\{char}")
        if char in _CONTROL:
            return _CONTROL[char]
        if char == "u" and re.fullmatch(r"[0-9a-fA-F]{4}", self.pattern[self.pos : self.pos + 4]):
            self.pos += 4
            return chr(int(self.pattern[self.pos - 4 : self.pos], 16))
        return char

    def char_class(self) -> str:
        negated = self.peek() == "^"
        if negated:
            self.pos += 1
        ranges: list[tuple[str, str]] = []
        first = True
        while first or self.peek() != "]":
            first = False
            char = self.take()
            if char == "\\":
                escaped = self.take()
                if escaped in _CLASS_ESCAPES:
                    ranges += _CLASS_ESCAPES[escaped]
                    continue
                if escaped in ("D", "W", "S", "s", "b", "p", "P"):
                    raise _Unsupported(f"\\{escaped} in a class")
                char = _CONTROL.get(escaped, escaped)
            if self.peek() == "-" and self.pattern[self.pos + 1 : self.pos + 2] not in ("]", ""):
                self.pos += 1
                end = self.take()
                if end == "\\":
                    end = self.take()
                ranges.append((char, end))
            else:
                ranges.append((char, char))
        self.pos += 1
        if negated:
            outside = [c for c in _OUTSIDE[self.high] if not any(a <= c <= b for a, b in ranges)]
            if not outside:
                raise _Unsupported("nothing outside the class")
            return outside[0]
        wordy = [r for r in ranges if r[0].isalnum() and r[1].isalnum()] or ranges
        return wordy[-1][1] if self.high else wordy[0][0]


def synthesise(pattern: str, high: bool = False) -> str | None:
    """A string `pattern` matches (by `re.search`), deterministic; `high` picks the last
    character of each class (`ZZ-9999` rather than `AA-0000` for `^[A-Z]{2}-\\d{4}$`). None for
    what it cannot build: lookarounds, backreferences, word boundaries, or a wrong guess."""
    reader = _Reader(pattern, high)
    try:
        value = reader.alternation()
        if reader.pos != len(pattern):
            return None
        return value if re.search(pattern, value) is not None else None
    except (_Unsupported, re.error):
        return None
