"""`/testgen report`: what this merge request does to the API, endpoint by endpoint.

The source branch's inventory is compared with the target branch's (both scanned
incrementally, so a report after a push costs what the push changed).
"""

from __future__ import annotations

import json

from bot.jobs.context import JobContext
from bot.jobs.rescan import scan_branch
from bot.markdown import code
from bot.replies_text import ThreadOnly
from bot.scan.diff import FieldChange, InventoryDiff, diff_inventories

HEADING = "### API changes"
MAX_ROWS = 50


def _row(method: str, path: str, what: str) -> str:
    return f"| {code(method, in_table=True)} | {code(path, in_table=True)} | {what} |"


# what a reviewer cares about, in words; `responses` repeats status codes unless bodies differ
SHOWN = {
    "status_codes": "status",
    "params": "parameters",
    "request_schema": "request body",
    "request_required": "request body required",
    "request_content_type": "request content type",
    "responses": "response bodies",
    "security": "auth",
    "deprecated": "deprecated",
    "path": "path",
}


def _describe(change: FieldChange) -> str | None:
    """The change in a few words; None when it says nothing the other changes do not."""
    label = SHOWN.get(change.field)
    if label is None:
        return None
    if change.field == "responses" and _bodies(change.before) == _bodies(change.after):
        return None  # only the status codes moved: the status line says so
    if change.field in ("status_codes", "security", "deprecated"):
        before, after = _short(change.before), _short(change.after)
        if change.field == "security":  # scheme names come from the scanned code
            before, after = code(before, in_table=True), code(after, in_table=True)
        return f"{label} {before} → {after}"
    return label


def _bodies(responses: object) -> list[str]:
    if not isinstance(responses, dict):
        return []
    return sorted(json.dumps(v, sort_keys=True) for v in responses.values() if v is not None)


def _short(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "none"
    return str(value)


def render_report(diff: InventoryDiff, endpoints: int, warnings: int, target: str) -> str:
    lines = [HEADING, ""]
    if diff.empty:
        lines.append(f"No endpoint changes against {code(target)} ({endpoints} endpoints).")
    else:
        renamed = {(r.method, r.old_path): r for r in diff.renames}
        renamed_to = {(r.method, r.new_path) for r in diff.renames}
        rows = [
            _row(e.method, e.path, "added")
            for e in diff.added
            if (e.method, e.path) not in renamed_to
        ]
        for e in diff.removed:
            rename = renamed.get((e.method, e.path))
            if rename is not None:
                confidence = round(rename.confidence * 100)
                what = f"moved to {code(rename.new_path, in_table=True)}? ({confidence} % sure)"
                rows.append(_row(e.method, e.path, what))
            else:
                rows.append(_row(e.method, e.path, "**removed**"))
        for c in diff.changed:
            said = [text for f in c.changes if (text := _describe(f))]
            if said:
                rows.append(_row(c.method, c.path, "changed: " + "; ".join(said)))
        counts = (
            f"{len(diff.added)} added, {len(diff.removed)} removed, {len(diff.changed)} changed"
        )
        lines += [
            f"Against {code(target)}: {counts} ({endpoints} endpoints on this branch).",
            "",
            "| Method | Path | Change |",
            "| --- | --- | --- |",
            *rows[:MAX_ROWS],
        ]
        if len(rows) > MAX_ROWS:
            lines.append(f"\n_…and {len(rows) - MAX_ROWS} more._")
        if diff.added:
            lines += ["", "Comment `/testgen generate` for tests of the new endpoints."]
    if warnings:
        lines += [
            "",
            f"_The scan skipped or could not resolve {warnings} thing(s); "
            "`testgen scan` lists them._",
        ]
    return "\n".join(lines) + "\n"


async def run(ctx: JobContext, project_id: int, mr_iid: int, args: list[str]) -> str:
    gitlab = ctx["gitlab"]
    mr = await gitlab.get_merge_request(project_id, mr_iid)
    target = await gitlab.get_branch(project_id, mr.target_branch)
    if target is None:
        gone = f"The target branch {code(mr.target_branch)} no longer exists."
        return ThreadOnly(f"{HEADING}\n\n{gone}\n")
    source, _ = await scan_branch(ctx, project_id, mr.source_branch, mr.sha or mr.source_branch)
    base, _ = await scan_branch(ctx, project_id, mr.target_branch, target.commit.id)
    diff = diff_inventories(base.inventory, source.inventory)
    return render_report(
        diff, len(source.inventory.endpoints), len(source.inventory.warnings), mr.target_branch
    )
