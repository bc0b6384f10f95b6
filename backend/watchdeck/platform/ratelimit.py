"""Fixed-window counters in Redis: sign-up, log-in, password guesses and reset requests."""

from __future__ import annotations

from litestar import Request
from redis.asyncio import Redis

from watchdeck.platform import keys
from watchdeck.platform.errors import TooManyRequests


def client_ip(request: Request) -> str:
    """The caller's address, as the server saw it (a proxy's X-Forwarded-For when trusted)."""
    return request.client.host if request.client else "unknown"


async def hit(redis: Redis, key: str, limit: int, window: int, what: str) -> None:
    """Count one attempt under `key`; raise TooManyRequests once `limit` is passed in `window` s."""
    full_key = keys.rate_limit(key)
    async with redis.pipeline(transaction=True) as pipe:
        pipe.set(full_key, 0, ex=window, nx=True)  # starts the window on the first attempt
        pipe.incr(full_key)
        pipe.ttl(full_key)
        _, count, ttl = await pipe.execute()
    if count > limit:
        raise TooManyRequests(f"too many {what} attempts, try again later", retry_after=max(ttl, 1))


async def clear(redis: Redis, key: str) -> None:
    await redis.delete(keys.rate_limit(key))


async def public(redis: Redis, request: Request, per_ip: int, window: int, what: str) -> None:
    """One more request to a public route (status pages, badges) from this client; every
    public route shares the one budget per address."""
    await hit(redis, f"public:ip:{client_ip(request)}", per_ip, window, what)
