"""Access JWTs (pyjwt, HS256) and the opaque secrets behind refresh tokens, invites and API keys."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt

from watchdeck.domain.accounts.roles import Role
from watchdeck.platform.errors import Unauthorized

ALGORITHM = "HS256"
API_KEY_PREFIX = "wd_"


@dataclass(frozen=True)
class AccessClaims:
    user_id: uuid.UUID
    team_id: uuid.UUID
    role: Role
    token_version: int
    session_id: uuid.UUID  # the refresh-token family it was issued with


def issue_access_token(
    secret: str,
    user_id: uuid.UUID,
    team_id: uuid.UUID,
    role: Role,
    token_version: int,
    session_id: uuid.UUID,
    ttl: int,
) -> str:
    """Sign an access token tied to the sign-in `session_id`, so signing out ends it too."""
    now = datetime.now(UTC)
    claims = {
        "sub": str(user_id),
        "team": str(team_id),
        "role": role.value,
        "ver": token_version,
        "sid": str(session_id),
        "typ": "access",
        "iat": now,
        "exp": now + timedelta(seconds=ttl),
        "jti": secrets.token_hex(8),
    }
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def decode_access_token(secret: str, token: str) -> AccessClaims:
    """Verify signature, expiry and shape; raise Unauthorized otherwise.

    Only HS256 is accepted, so `alg: none` and algorithm-swap tokens fail here.
    """
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            options={"require": ["sub", "team", "role", "ver", "sid", "typ", "exp", "iat"]},
        )
        if claims["typ"] != "access":
            raise Unauthorized("not an access token")
        return AccessClaims(
            user_id=uuid.UUID(claims["sub"]),
            team_id=uuid.UUID(claims["team"]),
            role=Role(claims["role"]),
            token_version=int(claims["ver"]),
            session_id=uuid.UUID(claims["sid"]),
        )
    except jwt.ExpiredSignatureError:
        raise Unauthorized("access token expired") from None
    except (jwt.InvalidTokenError, ValueError, TypeError):
        raise Unauthorized("invalid access token") from None


def new_secret(prefix: str = "") -> str:
    return prefix + secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    """Stored form of a high-entropy secret: a plain SHA-256 is enough, no salt needed."""
    return hashlib.sha256(secret.encode()).hexdigest()
