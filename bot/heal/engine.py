"""Heal a test suite: the change set and the test→endpoint map turned into per-file codemods."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from bot.analysis.model import Hit
from bot.generate.schema import effective, types_of
from bot.heal._paths import Move, rewrite_piece
from bot.heal.changes import Change, ChangeSet, change_set
from bot.heal.codemod import CallEdit, FilePlan, PieceEdit, heal_source
from bot.heal.log import Action, Unhealable
from bot.heal.mapping import Parsed, read_map
from bot.scan.model import Endpoint, Inventory

MOVES = frozenset({"path-renamed", "param-renamed", "method-changed"})
PATH_KINDS = frozenset({"string", "fstring", "format", "percent"})
SHARED = "the URL text here is shared by endpoints that changed differently ({endpoints})"
UNALIGNED = "{method} {old} → {new}: the path cannot be rewritten segment by segment"
PROPOSED = "{method} {old} → {new} is only {confidence} % sure: proposed, not applied"


@dataclass
class HealResult:
    """The healed files (only those that changed), the log, and the healing rate's terms."""

    files: dict[str, str] = field(default_factory=dict)
    actions: list[Action] = field(default_factory=list)
    unhealable: list[Unhealable] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)  # test ids a change reaches
    healed: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return len(self.healed) / len(self.broken) if self.broken else 1.0


def _array(endpoint: Endpoint | None, inventory: Inventory) -> bool:
    if endpoint is None:
        return False
    for status in sorted(endpoint.responses):
        if status.startswith("2") and endpoint.responses[status]:
            schema = effective(endpoint.responses[status], inventory.components)
            return "array" in types_of(schema)
    return False


def _move(change: Change) -> Move:
    method, path = change.target
    return Move(change.method, change.path, path, method)


def heal(files: Mapping[str, str], before: Inventory, after: Inventory) -> HealResult:
    """Heal `files` (path → text, the whole suite) written against `before` to fit `after`."""
    changes = change_set(before, after)
    if not changes.changes:
        return HealResult()
    hits, parsed = read_map(files, before)
    return heal_with(files, changes, hits, before, parsed)


def heal_with(
    files: Mapping[str, str],
    changes: ChangeSet,
    hits: Sequence[Hit],
    before: Inventory,
    parsed: Mapping[str, Parsed] | None = None,
) -> HealResult:
    result = HealResult()
    plans: dict[str, FilePlan] = {}
    claims: dict[tuple[str, int, int], dict[str, tuple[str, PieceEdit | None]]] = {}
    broken: set[str] = set()
    claimed_by: dict[tuple[str, int, int], set[str]] = {}
    doubtful: set[str] = set()

    def plan(file: str) -> FilePlan:
        return plans.setdefault(file, FilePlan(components=changes.components))

    for hit in hits:
        request, test = hit.request, hit.test
        found = changes.for_endpoint(*hit.endpoint)
        moves = [c for c in found if c.kind in MOVES]
        piece: PieceEdit | None = None
        if moves:
            move = moves[0]
            replacements = _move(move).replacements
            if replacements is None:
                result.unhealable.append(
                    Unhealable(request.file, request.line, test.name,
                               UNALIGNED.format(method=move.method, old=move.path,
                                                new=move.target[1]))
                )  # fmt: skip
            else:
                piece = PieceEdit(tuple(replacements), move)
            if not move.applies:
                doubtful.add(test.id)
                result.unhealable.append(
                    Unhealable(request.file, request.line, test.name,
                               PROPOSED.format(method=move.method, old=move.path,
                                               new=move.target[1],
                                               confidence=round(move.confidence * 100)))
                )  # fmt: skip
        endpoint = f"{hit.endpoint[0]} {hit.endpoint[1]}"
        for written in request.written:
            if written.kind in PATH_KINDS:
                key = (written.file, written.line, written.column)
                text = (
                    rewrite_piece(written.text, list(piece.replacements)) if piece else written.text
                )
                claims.setdefault(key, {})[endpoint] = (text, piece)
                claimed_by.setdefault(key, set()).add(test.id)
        if not found or request.kind != "call":
            continue
        broken.add(test.id)
        removed = next((c for c in found if c.kind == "endpoint-removed"), None)
        if removed is not None:
            plan(test.file).skips[test.name.rsplit("::", 1)[-1]] = removed
            doubtful.add(test.id)
            continue
        edits = tuple(c for c in found if c.kind not in MOVES or c.kind == "method-changed")
        if edits:
            array = _array(before.find(*hit.endpoint), before)
            plan(request.file).calls[(request.line, request.column)] = CallEdit(
                edits, array, request.method
            )
        if any(not c.applies for c in found):
            doubtful.add(test.id)
    for (file, line, column), by_endpoint in claims.items():
        texts = {text for text, _ in by_endpoint.values()}
        pieces = [edit for _, edit in by_endpoint.values() if edit is not None]
        if len(texts) > 1:
            tests = sorted(claimed_by[(file, line, column)])
            doubtful.update(tests)
            names = ", ".join(t.split("::", 1)[-1] for t in tests)
            shared = SHARED.format(endpoints=", ".join(sorted(by_endpoint)))
            result.unhealable.append(Unhealable(file, line, names, shared))
            continue
        if pieces:
            plan(file).pieces[(line, column)] = pieces[0]
    naming = [(_move(c), c) for c in changes.changes if c.kind in MOVES]
    for file, text in sorted(files.items()):
        file_plan = plans.get(file)
        if file_plan is None and not any(move.old in text for move, _ in naming):
            continue  # nothing located here, and no moved path named in its text
        file_plan = file_plan or plan(file)
        file_plan.naming = naming
        healed, actions, unhealable = heal_source(file, text, file_plan, (parsed or {}).get(file))
        result.actions += actions
        result.unhealable += unhealable
        if healed != text:
            result.files[file] = healed
    failed_files = {(u.file, u.test) for u in result.unhealable}
    result.broken = sorted(broken)
    result.healed = sorted(
        t
        for t in broken
        if t not in doubtful and not any(t.split("::")[-1] == n for _, n in failed_files)
    )
    return result
