"""WebFlux functional routes returned by Spring components that implement an endpoint interface."""

from __future__ import annotations

from tests.scan.conftest import routes, scan_sources

_CONFIG = "src/main/java/com/acme/web/ModulesConfig.java"

_FILES = {
    "src/main/java/com/acme/web/ApiModule.java": """
package com.acme.web;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;
public interface ApiModule {
    RouterFunction<ServerResponse> routes();
    default String area() { return "billing/v2"; }
}
""",
    "src/main/java/com/acme/web/ModulesConfig.java": """
package com.acme.web;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
@Configuration
class ModulesConfig {
    @Bean
    RouterFunction<ServerResponse> modules(List<ApiModule> modules) {
        var builder = RouterFunctions.route();
        for (ApiModule m : modules) {
            builder.nest(RequestPredicates.path("/modules/" + m.area()), m::routes);
        }
        return builder.build();
    }
}
""",
    "src/main/java/com/acme/web/InvoiceRoutes.java": """
package com.acme.web;
import org.springdoc.webflux.core.fn.SpringdocRouteBuilder;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;
@Component
public class InvoiceRoutes implements ApiModule {
    private final InvoiceHandler handler;
    @Override
    public RouterFunction<ServerResponse> routes() {
        return SpringdocRouteBuilder.route()
            .GET("invoices", handler::list, ops -> ops.operationId("listInvoices"))
            .POST("invoices/{id}/pay", handler::pay, ops -> ops.operationId("pay"))
            .build();
    }
}
""",
    "src/main/java/com/acme/web/AuditRoutes.java": """
package com.acme.web;
import org.springdoc.webflux.core.fn.SpringdocRouteBuilder;
import org.springframework.stereotype.Service;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;
@Service
class AuditRoutes implements ApiModule {
    @Override
    public String area() { return Areas.AUDIT; }
    @Override
    public RouterFunction<ServerResponse> routes() {
        return SpringdocRouteBuilder.route()
            .nest(
                RequestPredicates.path("trail"),
                () -> SpringdocRouteBuilder.route().GET("", this::trail, ops -> {}).build(),
                ops -> {})
            .build();
    }
}
""",
    "src/main/java/com/acme/web/Areas.java": """
package com.acme.web;
final class Areas { static final String AUDIT = "audit/v1"; }
""",
    "src/main/java/com/acme/web/NotServed.java": """
package com.acme.web;
public class NotServed implements ApiModule {
    public RouterFunction<ServerResponse> routes() {
        return SpringdocRouteBuilder.route().GET("x", this::x).build();
    }
}
""",
}


def test_components_implementing_an_endpoint_interface_serve_their_routes_under_the_group() -> None:
    inventory = scan_sources(_FILES)
    assert sorted(routes(inventory)) == [
        ("GET", "/modules/audit/v1/trail"),
        ("GET", "/modules/billing/v2/invoices"),
        ("POST", "/modules/billing/v2/invoices/{id}/pay"),
    ]
    handlers = {e.path: e.handler for e in inventory.endpoints}
    assert handlers["/modules/billing/v2/invoices"] == "InvoiceHandler.list"
    assert {e.framework for e in inventory.endpoints} == {"spring-webflux"}


def test_without_code_that_nests_the_group_the_routes_are_served_as_written() -> None:
    files = {path: source for path, source in _FILES.items() if path != _CONFIG}
    inventory = scan_sources(files)
    assert sorted(routes(inventory)) == [
        ("GET", "/invoices"),
        ("GET", "/trail"),
        ("POST", "/invoices/{id}/pay"),
    ]


def test_a_group_the_component_computes_leaves_its_routes_unresolved_not_misplaced() -> None:
    files = dict(_FILES)
    files["src/main/java/com/acme/web/ReportRoutes.java"] = """
package com.acme.web;
import org.springdoc.webflux.core.fn.SpringdocRouteBuilder;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;
@Component
class ReportRoutes implements ApiModule {
    @Override
    public String area() { return Areas.of(new Report()).path(); }
    @Override
    public RouterFunction<ServerResponse> routes() {
        return SpringdocRouteBuilder.route().GET("reports", this::list, ops -> {}).build();
    }
}
"""
    inventory = scan_sources(files)
    report = [e for e in inventory.endpoints if e.handler == "ReportRoutes.list"]
    assert [(e.method, e.path) for e in report] == [("GET", "/modules/reports")]
    assert report[0].unresolved
    assert ("GET", "/modules/billing/v2/reports") not in routes(inventory)
