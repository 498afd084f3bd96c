"""Spring Boot prefixes: context path, servlet/base path and `${…}` placeholders in mappings."""

from __future__ import annotations

from tests.scan.conftest import routes, scan_sources

CONTROLLER = """
    package a;
    @RestController
    @RequestMapping("${api.prefix:/api}/items")
    class Items {
        @GetMapping("${items.one:/{id}}") String one() { return ""; }
    }
"""


def test_context_and_servlet_path_from_yaml_with_placeholder_defaults() -> None:
    inventory = scan_sources(
        {
            "src/main/java/a/Items.java": CONTROLLER,
            "src/main/resources/application.yml": """
                server:
                  servlet:
                    context-path: /shop
                spring:
                  mvc:
                    servlet:
                      path: /rest
                items:
                  one: /by-id/{id}
            """,
            "src/main/resources/application-prod.yml": "server.servlet.context-path: /prod\n",
        }
    )
    assert routes(inventory) == [("GET", "/shop/rest/api/items/by-id/{id}")]


def test_webflux_base_path_and_relaxed_property_names() -> None:
    inventory = scan_sources(
        {
            "src/main/java/a/Items.java": CONTROLLER,
            "src/main/resources/application.properties": (
                "spring.webflux.basePath=/flux\napi.prefix=/v2\n"
            ),
        }
    )
    assert routes(inventory) == [("GET", "/flux/v2/items/{id}")]


def test_profile_documents_do_not_override_the_default_profile() -> None:
    inventory = scan_sources(
        {
            "src/main/java/a/Items.java": CONTROLLER,
            "src/main/resources/application.yml": """
                server.servlet.context-path: /app
                ---
                spring.config.activate.on-profile: dev
                server.servlet.context-path: /dev
            """,
        }
    )
    assert routes(inventory) == [("GET", "/app/api/items/{id}")]


def test_data_rest_base_path_does_not_prefix_rest_controllers() -> None:
    inventory = scan_sources(
        {
            "src/main/java/a/Items.java": CONTROLLER,
            "src/main/resources/application.properties": "spring.data.rest.base-path=/data\n",
        }
    )
    assert routes(inventory) == [("GET", "/api/items/{id}")]


def test_each_module_reads_its_own_configuration() -> None:
    inventory = scan_sources(
        {
            "orders/src/main/java/a/Items.java": CONTROLLER,
            "orders/src/main/resources/application.properties": "server.servlet.context-path=/o\n",
            "users/src/main/resources/application.properties": "server.servlet.context-path=/u\n",
        }
    )
    assert routes(inventory) == [("GET", "/o/api/items/{id}")]


def test_repository_rest_controllers_are_served_under_the_data_rest_base_path() -> None:
    inventory = scan_sources(
        {
            "src/main/java/a/ScannerController.java": """
                package a;
                @RepositoryRestController
                class ScannerController {
                    @GetMapping(path = "/scanners/search/producers")
                    ResponseEntity<?> getProducers() { return null; }
                }
            """,
            "src/main/java/a/Orders.java": """
                package a;
                @BasePathAwareController(path = "orders")
                class Orders {
                    @PostMapping("/search/sort") void sort() {}
                }
            """,
            "src/main/resources/application.properties": (
                "spring.data.rest.base-path=/data\nserver.servlet.context-path=/app\n"
            ),
        }
    )
    assert routes(inventory) == [
        ("POST", "/app/data/orders/search/sort"),
        ("GET", "/app/data/scanners/search/producers"),
    ]
