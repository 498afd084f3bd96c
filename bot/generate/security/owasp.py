"""OWASP API Security Top 10 (2023) labels, attack values and leak markers the tests use."""

from __future__ import annotations

# the category of each check: Allure story, tag and `owasp` label
API1 = "API1:2023 Broken Object Level Authorization"
API2 = "API2:2023 Broken Authentication"
API3 = "API3:2023 Broken Object Property Level Authorization"
API4 = "API4:2023 Unrestricted Resource Consumption"
API8 = "API8:2023 Security Misconfiguration"
API9 = "API9:2023 Improper Inventory Management"

# request properties a client must never set: ids, ownership and privileges (snake_case)
LOOK_ALIKES = frozenset(
    {"id", "owner", "owner_id", "user_id", "account_id", "tenant_id", "created_by", "creator_id"}
    | {"role", "roles", "is_admin", "admin", "is_staff", "is_superuser", "permissions"}
)
# values a mass-assignment test sends, by JSON type: unlikely to be what the server sets
INJECTED = {"integer": 987654321, "number": 987654321.5, "string": "testgen-injected"}
INJECTED_FLAG = True

# query parameters that bound how much a list returns, and ones that skip into it
PAGE_SIZES = frozenset(
    {"limit", "per_page", "page_size", "pagesize", "perpage", "size", "count", "max_results"}
    | {"top", "take", "first", "max", "maxresults", "results_per_page"}
)
PAGE_OFFSETS = frozenset({"offset", "page", "skip", "start", "page_number", "cursor_offset"})
HUGE = 1_000_000_000
# with no declared maximum, a list longer than this answers a huge page size unbounded
UNBOUNDED = 1000

# injection-shaped strings: SQL, a NoSQL operator, path traversal, template syntax
INJECTIONS = (
    "' OR '1'='1' --",
    '{"$ne": null}',
    "../../../../etc/passwd",
    "{{7*7}}${7*7}<%= 7*7 %>",
)
MALFORMED_ID = "testgen-not-an-id'\""

# signs of a stack trace, a framework debug page or a raw database error in a response body
LEAK_PATTERN = (
    r"Traceback \(most recent call last\)|File \"[^\"]+\", line \d+, in "
    r"|\bat [\w$.]+\([\w$]+\.java:\d+\)|Exception in thread \""
    r"|\bat \S+ \((?:/|[A-Za-z]:\\)[^)]+:\d+:\d+\)|goroutine \d+ \[running\]"
    r"|\.cs:line \d+|Stack trace:\s*#0|Fatal error: .+ on line \d+"
    r"|Werkzeug Debugger|Whitelabel Error Page|DEBUG = True|django\.core\.exceptions"
    r"|SQLSTATE\[|You have an error in your SQL syntax|ORA-\d{5}|psycopg2\.errors"
)

# a syntactically valid bearer JWT (HS256) with a signature no server accepts
WRONG_JWT = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
    "eyJzdWIiOiJ0ZXN0Z2VuLXdyb25nIiwiZXhwIjo0MTAyNDQ0ODAwfQ."
    "dGVzdGdlbi13cm9uZy1zaWduYXR1cmUtMDAwMDAwMDA"
)
