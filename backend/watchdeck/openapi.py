"""What the OpenAPI schema says about every route beyond its handler: who must send a bearer
credential, the error answers (the `ErrorBody` of errors.py) the route can give, and, for wire
types whose domain documents them as one shape per case (`DOCUMENTED_AS`), those shapes.

The statuses follow from what a route reads: a credential (401, 403), a body (400, 404,
413, 422), parameters (400, 422), an id in the path (404), a change (409). Public routes under
/api/v1 check what they were sent in place of a credential (a password, a refresh, invite or
push token), so they may refuse it (401, 404, 409) and some are throttled (429).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, get_args

import msgspec
from litestar import Litestar
from litestar.constants import RESERVED_KWARGS
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import Discriminator, Reference, Schema
from litestar.plugins import OpenAPISchemaPlugin
from litestar.routes import HTTPRoute
from litestar.typing import FieldDefinition

from watchdeck.domain.accounts.auth import route_access
from watchdeck.domain.accounts.roles import Access
from watchdeck.domain.alerts.schemas import DOCUMENTED_AS
from watchdeck.platform.errors import ErrorBody

if TYPE_CHECKING:
    from litestar._openapi.schema_generation import SchemaCreator

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


class ShapesByCase(OpenAPISchemaPlugin):
    """Documents each type of `DOCUMENTED_AS` as its union of shapes, under the type's own
    component name: `oneOf` with a discriminator when every shape is tagged by the same field
    (ChannelIn, ChannelOut: by `kind`), else `anyOf`, as shapes without a tag can overlap
    (ChannelPatch: a change to any kind of channel). Requests still decode as the type."""

    def is_plugin_supported_field(self, field_definition: FieldDefinition) -> bool:
        return field_definition.annotation in DOCUMENTED_AS

    def to_openapi_schema(
        self, field_definition: FieldDefinition, schema_creator: SchemaCreator
    ) -> Schema | Reference:
        documented = field_definition.annotation
        shapes = get_args(DOCUMENTED_AS[documented])
        registry = schema_creator.schema_registry
        schema = registry.get_schema_for_field_definition(field_definition)
        schema.title = documented.__name__
        schema.description = documented.__doc__
        refs = [
            schema_creator.for_field_definition(FieldDefinition.from_annotation(shape))
            for shape in shapes
        ]
        infos = [msgspec.inspect.type_info(shape) for shape in shapes]
        tag_fields = {getattr(info, "tag_field", None) for info in infos}
        if len(tag_fields) == 1 and None not in tag_fields:
            schema.one_of = refs
            # Litestar names a component by its class alone while the name is unique, as
            # these shapes' names are (tests/test_openapi_snapshot.py holds them to it).
            schema.discriminator = Discriminator(
                property_name=str(tag_fields.pop()),
                mapping={
                    str(info.tag): f"#/components/schemas/{shape.__name__}"
                    for info, shape in zip(infos, shapes, strict=True)
                },
            )
        else:
            schema.any_of = refs
        return registry.get_reference_for_field_definition(field_definition) or schema


def document_routes(app: Litestar) -> None:
    """Declare on each route handler its security and error responses, before the schema is
    first built. Responses a handler declares itself are kept."""
    # Consulted before Litestar's own plugin for Structs, which would document the type as is.
    app.plugins.openapi = (ShapesByCase(), *app.plugins.openapi)
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
