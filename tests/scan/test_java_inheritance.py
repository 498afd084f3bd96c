"""Spring mappings declared on interfaces and base classes, and client interfaces that are not."""

from __future__ import annotations

from tests.scan.conftest import routes, scan_sources

PETS_API = """
    package org.springframework.samples.petclinic.rest.api;

    import org.springframework.http.ResponseEntity;
    import org.springframework.web.bind.annotation.*;

    @Generated(value = "org.openapitools.codegen.languages.SpringCodegen")
    @Validated
    @Tag(name = "pet", description = "the pet API")
    public interface PetsApi {
        @Operation(operationId = "getPet", summary = "Get a pet by ID", tags = { "pet" })
        @RequestMapping(
            method = RequestMethod.GET,
            value = "/pets/{petId}",
            produces = { "application/json" }
        )
        default ResponseEntity<PetDto> getPet(
            @Min(0)
            @Parameter(name = "petId", required = true, in = ParameterIn.PATH)
            @PathVariable("petId") Integer petId
        ) {
            getRequest().ifPresent(request -> {});
            return new ResponseEntity<>(HttpStatus.NOT_IMPLEMENTED);
        }

        @RequestMapping(
            method = RequestMethod.PUT,
            value = "/pets/{petId}",
            produces = { "application/json" },
            consumes = { "application/json" }
        )
        default ResponseEntity<PetDto> updatePet(
            @PathVariable("petId") Integer petId,
            @Parameter(name = "PetDto", required = true) @Valid @RequestBody PetDto petDto
        ) {
            return new ResponseEntity<>(HttpStatus.NOT_IMPLEMENTED);
        }
    }
"""

PET_CONTROLLER = """
    package org.springframework.samples.petclinic.rest.controller;

    import org.springframework.samples.petclinic.rest.api.PetsApi;

    @RestController
    @CrossOrigin(exposedHeaders = "errors, content-type")
    @RequestMapping("api")
    public class PetRestController implements PetsApi {
        @PreAuthorize("hasRole(@roles.OWNER_ADMIN)")
        @Override
        public ResponseEntity<PetDto> getPet(Integer petId) {
            return new ResponseEntity<>(HttpStatus.OK);
        }
    }
"""


def test_openapi_generated_interface_implemented_by_a_rest_controller() -> None:
    root = "src/main/java/org/springframework/samples/petclinic/rest"
    inventory = scan_sources(
        {
            f"{root}/api/PetsApi.java": PETS_API,
            f"{root}/controller/PetRestController.java": PET_CONTROLLER,
            "src/main/resources/application.properties": (
                "server.servlet.context-path=/petclinic/\n"
            ),
        }
    )
    assert sorted(routes(inventory)) == [
        ("GET", "/petclinic/api/pets/{petId}"),
        ("PUT", "/petclinic/api/pets/{petId}"),
    ]
    [get] = [e for e in inventory.endpoints if e.method == "GET"]
    assert get.handler == "PetRestController.getPet"
    assert get.file.endswith("PetRestController.java")
    assert [(p.name, p.location) for p in get.params] == [("petId", "path")]
    assert get.security == ["PreAuthorize:hasRole(@roles.OWNER_ADMIN)"]


def test_generic_and_abstract_base_controllers_map_only_in_concrete_controllers() -> None:
    inventory = scan_sources(
        {
            "src/main/java/a/CrudController.java": """
                package a;
                @RestController
                public abstract class CrudController<T, ID> {
                    @GetMapping("/{id}") public T get(@PathVariable ID id) { return null; }
                    @PostMapping public T create(@RequestBody T body) { return body; }
                }
            """,
            "src/main/java/a/UserController.java": """
                package a;
                @RestController
                @RequestMapping("/users")
                public class UserController extends CrudController<User, Long> {
                    @GetMapping public List<User> list() { return null; }
                }
            """,
        }
    )
    assert sorted(routes(inventory)) == [
        ("GET", "/users"),
        ("GET", "/users/{id}"),
        ("POST", "/users"),
    ]


def test_http_exchange_and_feign_clients_are_not_endpoints() -> None:
    inventory = scan_sources(
        {
            "src/main/java/a/Billing.java": """
                package a;
                @HttpExchange("/billing")
                public interface Billing {
                    @GetExchange("/invoices/{id}") Invoice invoice(@PathVariable String id);
                }
            """,
            "src/main/java/a/Stock.java": """
                package a;
                @FeignClient(name = "stock", path = "/stock")
                public interface Stock {
                    @GetMapping("/items") List<Item> items();
                }
            """,
            "src/main/java/a/Calls.java": """
                package a;
                @Service
                class Calls {
                    String call(RestTemplate rest, WebClient web) {
                        web.get().uri("/remote").retrieve();
                        return rest.getForObject("/other", String.class);
                    }
                }
            """,
            "src/main/java/a/Security.java": """
                package a;
                @Configuration
                class Security {
                    @Bean SecurityFilterChain chain(HttpSecurity http) throws Exception {
                        http.authorizeHttpRequests(a -> a
                            .requestMatchers(HttpMethod.GET, "/open").permitAll()
                            .antMatchers("/admin/**").hasRole("ADMIN"));
                        return http.build();
                    }
                }
            """,
        }
    )
    assert routes(inventory) == []


def test_http_exchange_interface_implemented_by_a_controller_is_served() -> None:
    inventory = scan_sources(
        {
            "src/main/java/a/Greeting.java": """
                package a;
                @HttpExchange("/greetings")
                public interface Greeting {
                    @GetExchange("/{name}") String greet(@PathVariable String name);
                    @PostExchange String add(@RequestBody String body);
                }
            """,
            "src/main/java/a/GreetingController.java": """
                package a;
                @RestController
                class GreetingController implements Greeting {
                    public String greet(String name) { return name; }
                    public String add(String body) { return body; }
                }
            """,
        }
    )
    assert sorted(routes(inventory)) == [("GET", "/greetings/{name}"), ("POST", "/greetings")]


def test_controller_returning_views_is_still_an_endpoint() -> None:
    inventory = scan_sources(
        {
            "src/main/java/a/OwnerController.java": """
                package a;
                @Controller
                class OwnerController {
                    @GetMapping("/owners/new")
                    public String initCreationForm(Map<String, Object> model) {
                        return "owners/form";
                    }
                }
            """
        }
    )
    assert routes(inventory) == [("GET", "/owners/new")]
