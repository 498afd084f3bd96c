"""Text edits at node ranges: the healed module is the original text with only those spans
replaced, so every other byte is kept by construction."""

from __future__ import annotations

from dataclasses import dataclass

from libcst.metadata import CodePosition


@dataclass(frozen=True)
class Splice:
    start: int  # offset in the text
    end: int
    text: str


class Text:
    """Offsets of libcst positions (1-based lines, 0-based columns) in one source text."""

    def __init__(self, source: str) -> None:
        self.source = source
        self._starts = [0]
        for line in source.splitlines(keepends=True):
            self._starts.append(self._starts[-1] + len(line))

    def offset(self, where: CodePosition) -> int:
        return self._starts[where.line - 1] + where.column

    def line_start(self, line: int) -> int:
        return self._starts[min(line - 1, len(self._starts) - 1)]

    def line_text(self, line: int) -> str:
        start = self.line_start(line)
        end = self._starts[line] if line < len(self._starts) else len(self.source)
        return self.source[start:end]

    def apply(self, splices: list[Splice]) -> str:
        out, cursor = [], 0
        for splice in sorted(splices, key=lambda s: (s.start, s.end)):
            if splice.start < cursor:
                continue  # overlapping edits: the first one wins
            out += [self.source[cursor : splice.start], splice.text]
            cursor = splice.end
        out.append(self.source[cursor:])
        return "".join(out)
