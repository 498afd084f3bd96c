"""The Java scanner family: Spring MVC/WebFlux annotated controllers and functional routes.

Decisions, and the module that makes each:
- which files are read: `.java` outside test sources and build output, plus the default-profile
  `application.properties|yml` of each module (this module);
- what serves routes: only concrete classes annotated `@RestController`/`@Controller`, with
  mappings inherited from superclasses and interfaces (including Spring 6 `@HttpExchange`
  interfaces), so a Feign or HTTP-interface client no controller implements is never an
  endpoint; `@RepositoryRestController`/`@BasePathAwareController` are served under
  `spring.data.rest.base-path` (`link`, facts from `extract`);
- a `@RequestMapping` without `method` (and a functional `path(…)` predicate without one)
  expands to GET, POST, PUT, PATCH and DELETE (`ALL_METHODS`, `treesitter`);
- functional routing: `RouterFunction` routes from `@Bean` methods, other router methods of the
  class they call inlined, springdoc `SpringdocRouteBuilder` read as `RouterFunctions.route()`
  (`router`); a Spring component (`@Component`, `@Service`, …) implementing an endpoint
  interface's `RouterFunction` method is served too, nested under the group the application
  computes, `path(lead + group())` with `group()` a default method of the interface the
  component may override, read from the class that calls both (`link.served`);
- `server.servlet.context-path`, `spring.mvc.servlet.path` and `spring.webflux.base-path` come
  from the default-profile configuration of the file's module; profiles are not read; names bind
  relaxed as in Boot: `contextPath` = `context-path` (`props`);
- names, constants and DTO schemas resolve across files by import and package (`types`);
- security lists `PreAuthorize:<expr>`, `Secured:<roles>`, `RolesAllowed:<roles>` (`link`);
- springdoc `@Hidden`, springfox `@ApiIgnore` and `@Operation(hidden = true)` (on the class or
  the method) keep endpoints listed with `in_schema: false` (`link`).
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.scan.family import Facts, FamilyResult
from bot.scan.java.extract import extract_java
from bot.scan.java.link import link_java
from bot.scan.java.props import is_config, read_config
from bot.scan.java.router import add_routers
from bot.scan.treesitter import parse, refuse, warning

_SKIP_DIRS = {"target", "build", "out", ".gradle", "node_modules"}
_SUFFIXES = (".java", ".properties", ".yml", ".yaml")


class JavaFamily:
    name = "java"
    version = "5"

    def wants(self, path: str) -> bool:
        if not path.endswith(_SUFFIXES):  # cheap first: most files of a tree are not Java
            return False
        parts = path.replace("\\", "/").split("/")
        if any(part in _SKIP_DIRS for part in parts[:-1]):
            return False
        if is_config(path):
            return True
        # test sources hold mock controllers and clients, not the service's endpoints
        return parts[-1].endswith(".java") and not ("src" in parts and "test" in parts)

    def extract(self, path: str, source: bytes) -> Facts:
        refused = refuse(source)
        if refused is not None:
            return {"warnings": [warning(refused)]}
        if is_config(path):
            return read_config(path, source)
        try:
            root, warnings = parse("java", source)
            facts = extract_java(root)
            if b"RouterFunction" in source:
                add_routers(root, facts)
        except RecursionError:
            return {"warnings": [warning("file nested too deeply to read")]}
        facts["warnings"] = warnings
        return facts

    def link(self, facts: Mapping[str, Facts]) -> FamilyResult:
        return link_java(facts)


FAMILY = JavaFamily()
