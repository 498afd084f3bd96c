"""Spring annotated mappings: attribute aliases, arrays, verbs, constants and inheritance."""

from __future__ import annotations

from tests.scan.conftest import routes, scan_sources

ALL = ["DELETE", "GET", "PATCH", "POST", "PUT"]


def test_value_and_path_are_aliases_and_arrays_give_one_endpoint_each() -> None:
    inventory = scan_sources(
        {
            "src/main/java/a/Api.java": """
                package a;
                @RestController
                @RequestMapping(path = {"/a", "/b"})
                class Api {
                    @GetMapping(value = {"/x", "/y"}) String x() { return ""; }
                    @PostMapping(path = "/z") String z() { return ""; }
                    @GetMapping String root() { return ""; }
                    @DeleteMapping({}) String none() { return ""; }
                }
            """
        }
    )
    assert sorted(routes(inventory)) == sorted(
        [
            ("GET", "/a/x"),
            ("GET", "/a/y"),
            ("GET", "/b/x"),
            ("GET", "/b/y"),
            ("POST", "/a/z"),
            ("POST", "/b/z"),
            ("GET", "/a"),
            ("GET", "/b"),
            ("DELETE", "/a"),
            ("DELETE", "/b"),
        ]
    )


def test_request_method_arrays_and_mapping_without_method() -> None:
    inventory = scan_sources(
        {
            "src/main/java/a/Api.java": """
                package a;
                import static org.springframework.web.bind.annotation.RequestMethod.PUT;
                @RestController
                class Api {
                    @RequestMapping(
                        value = "/two", method = {RequestMethod.GET, RequestMethod.POST})
                    String two() { return ""; }
                    @RequestMapping(value = "/one", method = PUT)
                    String one() { return ""; }
                    @RequestMapping("/any")
                    String any() { return ""; }
                }
            """
        }
    )
    assert sorted(routes(inventory)) == sorted(
        [("GET", "/two"), ("POST", "/two"), ("PUT", "/one")] + [(m, "/any") for m in ALL]
    )


def test_constants_from_other_classes_and_concatenation() -> None:
    inventory = scan_sources(
        {
            "src/main/java/a/api/ApiPaths.java": """
                package a.api;
                public final class ApiPaths {
                    public static final String BASE = "/api/v1";
                    public static final String USERS = BASE + "/users";
                    private ApiPaths() {}
                }
            """,
            "src/main/java/a/web/Api.java": """
                package a.web;
                import a.api.ApiPaths;
                import static a.api.ApiPaths.BASE;
                @RestController
                @RequestMapping(ApiPaths.USERS)
                class Api {
                    private static final String ID = "/{id}";
                    @GetMapping(ID) String one() { return ""; }
                    @GetMapping(BASE + "/health" + ID) String health() { return ""; }
                }
            """,
        }
    )
    assert sorted(routes(inventory)) == [
        ("GET", "/api/v1/users/api/v1/health/{id}"),
        ("GET", "/api/v1/users/{id}"),
    ]
