"""CI pipelines in the simulator: seeding, `GET …/pipelines/:id/test_report`, the Pipeline Hook.

The test report has the shape of GitLab's "Get a pipeline's test report" answer (totals, then
`test_suites[]` each with `test_cases[]` of `status`, `name`, `classname`, `execution_time`,
`system_output`, `stack_trace`); an unknown pipeline is `404 Not found`. The hook body is built
on `fixtures/gitlab/pipeline_failed_DERIVED.json` (derived from GitLab's documented example).
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from starlette.responses import JSONResponse, Response

from tests.gitlab_sim.http import Ctx, RouteSpec, not_found
from tests.gitlab_sim.http import route as r
from tests.gitlab_sim.payloads import _example, _project, _user
from tests.gitlab_sim.simulator import ProjectRef, Simulator

COUNTS = {"success": "success_count", "failed": "failed_count", "skipped": "skipped_count",
          "error": "error_count"}  # fmt: skip


@dataclass
class Pipeline:
    id: int
    iid: int
    project_id: int
    ref: str
    sha: str
    before_sha: str
    status: str
    mr_iid: int | None = None
    # suite name → test cases ({"status", "name", "classname", …})
    suites: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def _pipelines(sim: Simulator) -> dict[int, Pipeline]:
    return sim.pipelines


def add_pipeline(
    sim: Simulator,
    project: ProjectRef,
    ref: str,
    status: str,
    cases: Sequence[tuple[str, str, str]] = (),
    *,
    before_sha: str = "0" * 40,
    mr_iid: int | None = None,
    suite: str = "pytest",
) -> Pipeline:
    """A finished pipeline on `ref`'s head with JUnit cases `(status, classname, name)`."""
    with sim.lock:
        record = sim.project(project)
        iid = 1 + sum(1 for p in _pipelines(sim).values() if p.project_id == record.id)
        pipeline = Pipeline(sim.next_id(), iid, record.id, ref, record.branches[ref],
                            before_sha, status, mr_iid)  # fmt: skip
        pipeline.suites[suite] = [
            {"status": s, "name": n, "classname": c, "execution_time": 0.01, "file": None,
             "system_output": None if s == "success" else "AssertionError", "stack_trace": None}
            for s, c, n in cases
        ]  # fmt: skip
        _pipelines(sim)[pipeline.id] = pipeline
        return pipeline


def _totals(cases: list[dict[str, Any]]) -> dict[str, Any]:
    totals: dict[str, Any] = {"total_time": round(0.01 * len(cases), 2), "total_count": len(cases)}
    for status, key in COUNTS.items():
        totals[key] = sum(1 for c in cases if c["status"] == status)
    return totals


def test_report_json(pipeline: Pipeline) -> dict[str, Any]:
    every = [c for cases in pipeline.suites.values() for c in cases]
    suites = [
        {"name": name, **_totals(cases), "suite_error": None, "test_cases": copy.deepcopy(cases)}
        for name, cases in pipeline.suites.items()
    ]
    return {**_totals(every), "test_suites": suites}


async def test_report(ctx: Ctx) -> Response:
    project = ctx.project()
    with ctx.sim.lock:
        pipeline = _pipelines(ctx.sim).get(int(ctx.params["pipeline_id"]))
        if pipeline is None or pipeline.project_id != project.id:
            raise not_found("Pipeline")
        return JSONResponse(test_report_json(pipeline))


def pipeline_payload(sim: Simulator, pipeline_id: int) -> dict[str, Any]:
    """A "Pipeline Hook" body for a seeded pipeline."""
    with sim.lock:
        pipeline = _pipelines(sim)[pipeline_id]
        record = sim.project(pipeline.project_id)
        body = copy.deepcopy(_example("pipeline_failed_DERIVED.json"))
        body["object_attributes"] |= {
            "id": pipeline.id,
            "iid": pipeline.iid,
            "name": f"Pipeline for branch: {pipeline.ref}",
            "ref": pipeline.ref,
            "sha": pipeline.sha,
            "before_sha": pipeline.before_sha,
            "source": "merge_request_event" if pipeline.mr_iid else "push",
            "status": pipeline.status,
            "detailed_status": "passed" if pipeline.status == "success" else pipeline.status,
            "url": f"{sim.base_url}/{record.path_with_namespace}/-/pipelines/{pipeline.id}",
        }
        if pipeline.mr_iid is None:
            body["merge_request"] = None
        else:
            mr = record.merge_requests[pipeline.mr_iid]
            body["merge_request"] |= {
                "id": mr.id, "iid": mr.iid, "title": mr.title,
                "source_branch": mr.source_branch, "target_branch": mr.target_branch,
                "source_project_id": record.id, "target_project_id": record.id,
                "state": mr.state,
            }  # fmt: skip
        body["user"] = _user(sim.bot)
        body["project"] = _project(sim, record)
        body["commit"] |= {"id": pipeline.sha}
        return body


ROUTES: list[RouteSpec] = [
    r("GET", "/projects/:project/pipelines/:pipeline_id/test_report", test_report),
]
