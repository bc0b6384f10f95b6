"""The few exceptions domain code raises, and the one mapping to the error body.

Every 4xx answers `{"error": {"code", "message", "fields"}}`; anything
unexpected becomes a 500 with the request id and no detail.
"""

from __future__ import annotations

from typing import Any

import asyncpg
import msgspec
import structlog
from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from sqlalchemy import exc as sa

log = structlog.get_logger(__name__)


class DomainError(Exception):
    status_code = 400
    code = "bad_request"

    def __init__(self, message: str, fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class NotFound(DomainError):
    status_code = 404
    code = "not_found"


class Conflict(DomainError):
    status_code = 409
    code = "conflict"


class Forbidden(DomainError):
    status_code = 403
    code = "forbidden"


class Unauthorized(DomainError):
    """Answered with `WWW-Authenticate: Bearer realm="watchdeck"` (see handle_domain_error)."""

    status_code = 401
    code = "unauthorized"


class Invalid(DomainError):
    status_code = 422
    code = "invalid"

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}", {field: message})


class Unavailable(DomainError):
    status_code = 503
    code = "unavailable"


# What PostgreSQL or its driver raise when the server cannot be reached: refused or missing
# socket, a connection closed under us, the server shutting down or starting up, a full pool.
_DATABASE_DOWN = (
    sa.OperationalError,
    sa.InterfaceError,
    sa.TimeoutError,
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
    asyncpg.CannotConnectNowError,
    asyncpg.AdminShutdownError,
)
_REDIS_DOWN = (RedisConnectionError, RedisTimeoutError)


def _raised_while_connecting(exc: BaseException) -> bool:
    """An OSError from inside asyncpg: connection refused, or (FileNotFoundError) the Unix
    socket of a stopped local server is gone. SQLAlchemy passes these on unwrapped."""
    if not isinstance(exc, OSError):
        return False
    frame = exc.__traceback__
    while frame is not None:
        if frame.tb_frame.f_globals.get("__name__", "").startswith("asyncpg."):
            return True
        frame = frame.tb_next
    return False


def as_unavailable(exc: BaseException) -> Unavailable | None:
    """The 503 to answer when `exc` means PostgreSQL or Redis is out of reach, else None.

    The one place that tells an outage from a bug, for the api and the worker alike.
    """
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, _REDIS_DOWN):
            return Unavailable("Redis is unavailable; try again shortly", {"redis": "unavailable"})
        if (
            isinstance(seen, _DATABASE_DOWN)
            or (isinstance(seen, sa.DBAPIError) and seen.connection_invalidated)
            or _raised_while_connecting(seen)
        ):
            return Unavailable(
                "the database is unavailable; try again shortly", {"database": "unavailable"}
            )
        seen = seen.__cause__
    return None


class TooManyRequests(DomainError):
    status_code = 429
    code = "rate_limited"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ErrorDetail(msgspec.Struct):
    code: str
    message: str
    fields: dict[str, str] = {}


class ErrorBody(msgspec.Struct):
    error: ErrorDetail


_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "rate_limited",
    503: "unavailable",
}


def _body(status: int, code: str, message: str, fields: dict[str, str] | None = None, headers=None):
    return Response(
        ErrorBody(ErrorDetail(code=code, message=message, fields=fields or {})),
        status_code=status,
        headers=headers,
    )


def _field_name(key: Any) -> str:
    return str(key).removeprefix("$.") if key else ""


def _bearer_challenge(request: Request) -> str:
    """The WWW-Authenticate of a 401 (RFC 6750): `invalid_token` when the request carried a
    bearer token that was refused, the bare challenge when it carried none (or a password)."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip() and "user" not in request.scope:
        return 'Bearer realm="watchdeck", error="invalid_token"'
    return 'Bearer realm="watchdeck"'


def handle_domain_error(request: Request, exc: DomainError) -> Response:
    headers: dict[str, str] | None = None
    if isinstance(exc, TooManyRequests):
        headers = {"Retry-After": str(exc.retry_after)}
    elif isinstance(exc, Unauthorized):
        headers = {"WWW-Authenticate": _bearer_challenge(request)}
    return _body(exc.status_code, exc.code, exc.message, exc.fields, headers)


def handle_validation_error(_: Request, exc: ValidationException) -> Response:
    fields: dict[str, str] = {}
    for item in exc.extra if isinstance(exc.extra, list) else []:
        if isinstance(item, dict):
            name = _field_name(item.get("key")) or item.get("source") or "body"
            if name == "data" and item.get("source") == "body":
                # What Litestar reports for a route's body left out: bodies that were sent
                # are read (and refused by their own field) in platform/bodies.py.
                return _body(
                    400, "bad_request", "this request needs a JSON body", {"body": "required"}
                )
            fields[name] = str(item.get("message", "invalid value"))
    if fields:
        message = "; ".join(f"{name}: {text}" for name, text in fields.items())
        return _body(422, "invalid", message, fields)
    return _body(400, "bad_request", exc.detail or "the request could not be read")


def handle_http_exception(_: Request, exc: HTTPException) -> Response:
    status = exc.status_code
    if status >= 500:
        return _body(status, _CODES.get(status, "unavailable"), exc.detail or "unavailable")
    return _body(status, _CODES.get(status, "error"), exc.detail, None, exc.headers)


def handle_unexpected(request: Request, exc: Exception) -> Response:
    request_id = request.scope.get("state", {}).get("request_id", "")
    unavailable = as_unavailable(exc)
    if unavailable is not None:
        log.warning(
            unavailable.message, path=request.url.path, request_id=request_id, error=repr(exc)
        )
        return handle_domain_error(request, unavailable)
    log.exception("unhandled error", path=request.url.path, request_id=request_id)
    return _body(500, "internal", f"internal error (request id {request_id})")


EXCEPTION_HANDLERS = {
    DomainError: handle_domain_error,
    ValidationException: handle_validation_error,
    HTTPException: handle_http_exception,
    Exception: handle_unexpected,
}
