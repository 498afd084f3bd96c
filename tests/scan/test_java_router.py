"""Spring functional routing: `RouterFunctions.route(…)` chains and `route()` builders."""

from __future__ import annotations

from tests.scan.conftest import routes, scan_sources

ALL = ["GET", "POST", "PUT", "PATCH", "DELETE"]


def test_static_route_and_route_chains_with_predicates() -> None:
    inventory = scan_sources(
        {
            "src/main/java/a/Routes.java": """
                package a;
                import static org.springframework.web.reactive.function.server.RequestPredicates.*;
                import org.springframework.web.reactive.function.server.RouterFunction;
                import org.springframework.web.reactive.function.server.RouterFunctions;
                @Configuration
                public class Routes {
                    @Bean
                    public RouterFunction<ServerResponse> route(UserHandler handler) {
                        return RouterFunctions
                            .route(GET("/users/{id}").and(accept(APPLICATION_JSON)), handler::get)
                            .andRoute(POST("/users"), handler::create)
                            .andRoute(GET("/a").or(GET("/b")), handler::ab)
                            .andRoute(
                                RequestPredicates.method(HttpMethod.PUT).and(path("/put")),
                                handler::put)
                            .andNest(path("/admin"), route(DELETE("/{id}"), handler::remove));
                    }
                }
            """
        }
    )
    assert routes(inventory) == [
        ("GET", "/a"),
        ("DELETE", "/admin/{id}"),
        ("GET", "/b"),
        ("PUT", "/put"),
        ("POST", "/users"),
        ("GET", "/users/{id}"),
    ]
    [get] = [e for e in inventory.endpoints if e.path == "/users/{id}"]
    assert (get.framework, get.handler, get.line) == ("spring-webflux", "UserHandler.get", 10)
    assert [(p.name, p.location) for p in get.params] == [("id", "path")]


def test_builder_with_path_nest_constants_and_helper_methods() -> None:
    inventory = scan_sources(
        {
            "src/main/java/a/Paths.java": """
                package a;
                public interface Paths { String API = "/api"; }
            """,
            "src/main/java/a/Routes.java": """
                package a;
                import static org.springframework.web.servlet.function.RequestPredicates.*;
                import static org.springframework.web.servlet.function.RouterFunctions.route;
                @Configuration
                class Routes implements Paths {
                    private final PetHandler pets;
                    Routes(PetHandler pets) { this.pets = pets; }

                    @Bean
                    RouterFunction<ServerResponse> routes() {
                        return route()
                            .path(API + "/pets", builder -> builder
                                .GET("/{id}", accept(APPLICATION_JSON), pets::get)
                                .GET(accept(APPLICATION_JSON), pets::list)
                                .POST(pets::create))
                            .nest(path("/v2"), b -> {
                                b.PUT("/x", request -> ServerResponse.ok().build());
                                b.nest(accept(APPLICATION_JSON),
                                    () -> route().PATCH("/y", pets::patch).build());
                            })
                            .add(ownerRoutes())
                            .filter((request, next) -> next.handle(request))
                            .build();
                    }

                    RouterFunction<ServerResponse> ownerRoutes() {
                        return route().DELETE("/owners/{id}", request -> ok().build()).build();
                    }

                    RouterFunction<ServerResponse> unused() {
                        return route().GET("/unused", pets::list).build();
                    }
                }
            """,
        }
    )
    assert routes(inventory) == [
        ("GET", "/api/pets"),
        ("POST", "/api/pets"),
        ("GET", "/api/pets/{id}"),
        ("DELETE", "/owners/{id}"),
        ("PUT", "/v2/x"),
        ("PATCH", "/v2/y"),
    ]
    handlers = {(e.method, e.path): (e.handler, e.framework) for e in inventory.endpoints}
    assert handlers[("GET", "/api/pets")] == ("PetHandler.list", "spring")
    assert handlers[("PUT", "/v2/x")] == ("Routes.routes", "spring")


def test_path_predicate_without_method_maps_every_method_and_context_applies() -> None:
    inventory = scan_sources(
        {
            "src/main/java/a/Routes.java": """
                package a;
                @Configuration
                class Routes {
                    @Bean RouterFunction<ServerResponse> r(H h) {
                        return route(path("/any"), h::any);
                    }
                }
            """,
            "src/main/resources/application.properties": "spring.webflux.base-path=/flux\n",
        }
    )
    assert sorted(routes(inventory)) == sorted((m, "/flux/any") for m in ALL)
