"""Answers for bodies encoded ahead of time: 304 for a matching ETag, gzip when accepted."""

from __future__ import annotations

from litestar import Request, Response
from litestar.status_codes import HTTP_304_NOT_MODIFIED


def respond(
    request: Request,
    *,
    body: bytes,
    gzipped: bytes,
    etag: str,
    media_type: str,
    headers: dict[str, str],
) -> Response[bytes]:
    """`body` (or `gzipped`, for a client that accepts it) with its ETag, or an empty 304
    when the client already holds it."""
    headers = {**headers, "ETag": etag, "Vary": "Accept-Encoding"}
    if etag in request.headers.get("if-none-match", ""):
        return Response(b"", status_code=HTTP_304_NOT_MODIFIED, headers=headers)
    if "gzip" in request.headers.get("accept-encoding", ""):
        headers["Content-Encoding"] = "gzip"
        return Response(gzipped, media_type=media_type, headers=headers)
    return Response(body, media_type=media_type, headers=headers)
