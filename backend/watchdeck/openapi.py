"""What the OpenAPI schema says about every route beyond its handler: who must send a bearer
credential, and the error answers (the `ErrorBody` of errors.py) the route can give.

The statuses follow from what a route reads: a credential (401, 403), a body (400, 404,
413, 422), parameters (400, 422), an id in the path (404), a change (409). Public routes under
/api/v1 check what they were sent in place of a credential (a password, a refresh, invite or
push token), so they may refuse it (401, 404, 409) and some are throttled (429).
"""

from __future__ import annotations

from litestar import Litestar
from litestar.constants import RESERVED_KWARGS
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.datastructures import ResponseSpec
from litestar.routes import HTTPRoute

from watchdeck.domain.accounts.auth import route_access
from watchdeck.domain.accounts.roles import Access
from watchdeck.platform.errors import ErrorBody

BEARER = [{"bearer": []}]

_DESCRIPTIONS = {
    400: "The request could not be read",
    401: "No valid credential: sign in, or send a valid token",
    403: "The caller's role or key kind may not do this",
    404: "Not found in the caller's team",
    409: "Conflicts with the current state",
    413: "The body is larger than the server accepts",
    422: "A field is invalid; `error.fields` names it",
    429: "Too many attempts; see the Retry-After header",
    503: "PostgreSQL or Redis is out of reach; try again shortly",
}
_CHANGES = {"POST", "PUT", "PATCH", "DELETE"}
_BODIES = {"POST", "PUT", "PATCH"}


def _reads_input(handler: HTTPRouteHandler, route: HTTPRoute) -> tuple[bool, bool]:
    """(takes a body, takes path or query parameters)."""
    names = set(handler.parsed_fn_signature.parameters)
    dependencies = set(handler.resolve_dependencies())
    parameters = names - dependencies - RESERVED_KWARGS
    # Ingest routes read the raw request themselves (gzip, size) instead of a typed `data`.
    reads_raw_body = "request" in names and bool(handler.http_methods & _BODIES)
    return "data" in names or reads_raw_body, bool(parameters or route.path_parameters)


def error_statuses(handler: HTTPRouteHandler, route: HTTPRoute) -> set[int]:
    """The error statuses `handler` may answer at `route`."""
    access = route_access(handler)
    has_body, has_parameters = _reads_input(handler, route)
    statuses: set[int] = set()
    if access is not Access.public:
        statuses |= {401, 403}
    if route.path.startswith("/api/v1/"):
        statuses.add(503)
        if access is Access.public:
            statuses |= {401, 404, 409, 429}
    if has_body:
        # 404: a body may name another row (a service, a team, a channel) that is not there.
        statuses |= {400, 404, 413, 422}
    if has_parameters:
        statuses |= {400, 422}
    if route.path_parameters:
        statuses.add(404)
    if handler.http_methods & _CHANGES:
        statuses.add(409)
    return statuses


def document_routes(app: Litestar) -> None:
    """Declare on each route handler its security and error responses, before the schema is
    first built. Responses a handler declares itself are kept."""
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            if not handler.resolve_include_in_schema() or handler.http_methods == {"OPTIONS"}:
                continue
            if route_access(handler) is not Access.public:
                handler.security = BEARER
            errors = {
                status: ResponseSpec(
                    data_container=ErrorBody,
                    description=_DESCRIPTIONS[status],
                    generate_examples=False,
                )
                for status in sorted(error_statuses(handler, route))
            }
            handler.responses = {**errors, **(handler.responses or {})}
