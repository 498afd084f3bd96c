"""Prometheus metrics of the receiver and the workers (default registry)."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

WEBHOOK_REQUESTS = Counter(
    "testgen_webhook_requests_total",
    "Webhook deliveries by GitLab event and outcome.",
    ["event", "outcome"],
)
JOBS = Counter(
    "testgen_jobs_total",
    "Jobs run by function and outcome (ok, retry, failed, cancelled, dead: retry horizon passed).",
    ["function", "outcome"],
)
JOB_DURATION = Histogram(
    "testgen_job_duration_seconds",
    "Job run time by function.",
    ["function"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600),
)
QUEUE_DEPTH = Gauge("testgen_queue_depth", "Jobs waiting in the arq queue.")
SPOOL_DEPTH = Gauge("testgen_spool_depth", "Deliveries waiting in the on-disk spool.")
LLM_REQUESTS = Counter(
    "testgen_llm_requests_total",
    "LLM completions by outcome (ok, cached, invalid, timeout, error).",
    ["outcome"],
)
LLM_TOKENS = Counter(
    "testgen_llm_tokens_total",
    "LLM tokens used, by kind (prompt, completion).",
    ["kind"],
)
LLM_DURATION = Histogram(
    "testgen_llm_duration_seconds",
    "LLM completion time.",
    buckets=(0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120),
)
GITLAB_CALLS = Counter(
    "testgen_gitlab_requests_total",
    "GitLab API requests (every attempt) by method, route template and status ('error': none).",
    ["method", "route", "status"],
)
GITLAB_CALL_DURATION = Histogram(
    "testgen_gitlab_request_duration_seconds",
    "GitLab API request latency by method and route template.",
    ["method", "route"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
COMMANDS = Counter(
    "testgen_commands_total",
    "`/testgen` commands answered, by command and outcome (done, failed, refused, …).",
    ["command", "outcome"],
)
COMMAND_DURATION = Histogram(
    "testgen_command_duration_seconds",
    "Time from a command's job start to its answer, by command.",
    ["command"],
    buckets=(0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600),
)
COMMANDS_REFUSED = Counter(
    "testgen_commands_refused_total",
    "Commands not run: per_comment (over the per-comment limit), user_limited, project_limited.",
    ["reason"],
)
PROJECTS_REFUSED = Counter(
    "testgen_projects_refused_total",
    "Deliveries answered 403: the project is not on TESTGEN_ALLOWED_PROJECTS.",
)
HEAL_TESTS = Counter(
    "testgen_heal_tests_total",
    "Tests a change broke, by outcome (broken, healed); healing rate = healed / broken.",
    ["outcome"],
)
HEAL_RATE = Gauge("testgen_heal_rate", "Healed / broken tests of the last heal run.")
HEAL_FAILURES = Counter(
    "testgen_heal_ci_failures_total",
    "Failing CI tests sorted by cause (changed endpoint, likely regression, unmapped).",
    ["kind"],
)
