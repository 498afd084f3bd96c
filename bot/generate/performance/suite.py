"""One locustfile per feature: list tasks, and a flow through the feature's resource chain."""

from __future__ import annotations

import re

from bot.generate.conftest_template import UNIQUE_FUNCTION
from bot.generate.model import MARKER, GeneratedFile, GenerateOptions, SuiteResult
from bot.generate.performance.template import FOOT, HEAD, HELPERS
from bot.generate.request import Arranged, RequestPlanner, is_collection
from bot.generate.security.inventory import documented_by_feature
from bot.generate.source_text import Constants, path_params, snake, string
from bot.scan.model import Endpoint, Inventory

FOLDER = "performance/"
# how often a user runs each task: reads of a collection are the common case
LIST_WEIGHT = 5
FLOW_WEIGHT = 1
_ORDER = {"GET": 0, "PUT": 1, "PATCH": 2, "DELETE": 3}
_SHARED = ("body = ", "params = ", "headers = ", "url = ")
_ASSIGNED = re.compile(r"^([a-z_][a-z0-9_]*) = ")


def _indent(lines: list[str], depth: int) -> list[str]:
    pad = " " * (4 * depth)
    return [pad + line.replace("\n", "\n" + pad) for line in lines]


def _send(endpoint: Endpoint, arranged: Arranged) -> str:
    kwargs = "".join(f", {k}" for k in arranged.kwargs)
    return f"flow.send({string(endpoint.method)}, url{kwargs})"


def _class_name(feature: str) -> str:
    words = [w for w in re.split(r"[^0-9a-zA-Z]+", feature) if w]
    name = "".join(w[:1].upper() + w[1:] for w in words) or "Api"
    return f"{'F' if name[0].isdigit() else ''}{name}User"


def _list_task(endpoint: Endpoint, planner: RequestPlanner) -> list[str] | None:
    arranged = planner.arrange(endpoint)
    if arranged.weak or arranged.fixtures - {"unique"}:
        return None
    slug = snake(endpoint.key[1].replace("{}", "item"))
    return [
        "",
        f"    @task({LIST_WEIGHT})",
        f"    def {endpoint.method.lower()}_{slug}(self) -> None:",
        f'        """{endpoint.method} {endpoint.path}."""',
        "        flow = Flow(self.client)",
        *(["        unique = _unique"] if any("unique(" in x for x in arranged.lines) else []),
        *_indent([*arranged.lines, f"url = {arranged.url}", _send(endpoint, arranged)], 2),
    ]


def _flow_task(slug: str, steps: list[Endpoint], planner: RequestPlanner) -> list[str] | None:
    """The feature's item operations in one pass (reads, changes, then deletes), sharing the
    resources the chain creates."""
    body: list[str] = []
    assigned: set[str] = set()
    names: list[str] = []
    for endpoint in steps:
        arranged = planner.arrange(endpoint)
        if arranged.weak:
            continue
        for line in arranged.lines:
            match = _ASSIGNED.match(line)
            if match and not line.startswith(_SHARED):
                if match.group(1) in assigned:
                    continue
                assigned.add(match.group(1))
            body.append(line)
        body += [f"url = {arranged.url}", _send(endpoint, arranged)]
        names.append(f"{endpoint.method} {endpoint.path}")
    if not names:
        return None
    text = "\n".join(body)
    bound = [n for n in ("create_resource", "unique") if f"{n}(" in text]
    values = {"create_resource": "flow.create_resource", "unique": "_unique"}
    binding = (
        [f"        {', '.join(bound)} = {', '.join(values[n] for n in bound)}"] if bound else []
    )
    return [
        "",
        f"    @task({FLOW_WEIGHT})",
        f"    def {slug}_flow(self) -> None:",
        f'        """{"; ".join(names)}."""',
        "        flow = Flow(self.client)",
        *binding,
        "        try:",
        *_indent(body, 3),
        "        except StopFlow:",
        "            return",
        "        finally:",
        "            flow.clean()",
    ]


def render_locustfile(
    endpoints: list[Endpoint],
    inventory: Inventory,
    options: GenerateOptions,
    feature: str,
    path: str,
    thresholds: tuple[int, float],
) -> str | None:
    constants = Constants()
    planner = RequestPlanner(inventory, constants, (options.auth_in, options.auth_header))
    slug = snake(feature)
    tasks: list[str] = []
    for endpoint in endpoints:
        if endpoint.method == "GET" and not path_params(endpoint.path):
            tasks += _list_task(endpoint, planner) or []
    steps = [
        e
        for e in endpoints
        if e.method in _ORDER and path_params(e.path) and not is_collection(e, inventory)
    ]
    steps.sort(key=lambda e: (_ORDER[e.method], -e.path.count("/") if e.method == "DELETE" else 0))
    tasks += _flow_task(slug, steps, planner) or []
    if not tasks:
        return None
    label = "".join(c for c in feature if c.isprintable() and c not in '\\"')
    scheme = options.auth_scheme if options.auth_in == "header" else ""
    text = HEAD.format(
        marker=MARKER,
        label=label,
        path=path,
        base_url_env=string(options.base_url_env),
        auth_env=string(options.auth_env if options.send_credential else ""),
        auth_in=string(options.auth_in),
        auth_name=string(options.auth_header),
        auth_scheme=string(scheme),
        p95_ms=thresholds[0],
        error_rate=thresholds[1],
    )
    if constants.source():
        text += "\n" + constants.source() + "\n"
    text += HELPERS.format(unique_function=UNIQUE_FUNCTION)
    klass = [
        "",
        "",
        f"class {_class_name(feature)}(HttpUser):",
        f'    """A user of the {label} feature."""',
        "",
        '    host = os.environ.get(BASE_URL_ENV, "http://localhost:8000")',
        "    wait_time = between(0.1, 0.5)",
        "",
        "    def on_start(self) -> None:",
        "        for where, values in _credential().items():",
        "            getattr(self.client, where).update(values)",
        *tasks,
    ]
    text += "\n".join(klass) + "\n"
    text += FOOT.format()
    return text


def plan_performance(
    inventory: Inventory,
    options: GenerateOptions,
    p95_ms: int = 500,
    error_rate: float = 0.01,
    folder: str = "",
) -> SuiteResult:
    """`performance/locustfile_<feature>.py` for each feature with something to load."""
    result = SuiteResult(files=[])
    groups = documented_by_feature(inventory, options)
    for slug in groups:
        members = groups[slug]
        path = f"{folder}{FOLDER}locustfile_{slug}.py"
        content = render_locustfile(
            members, inventory, options, members[0].feature, path, (p95_ms, error_rate)
        )
        if content is None:
            result.notes.append(f"no load test for {members[0].feature}: no request is known")
            continue
        keys = tuple(sorted({(e.method, e.path) for e in members}))
        result.files.append(GeneratedFile(path, content, keys))
    return result
