"""Roles within a team, and the access levels that routes and socket events declare."""

from __future__ import annotations

from enum import IntEnum, StrEnum


class Role(StrEnum):
    admin = "admin"
    developer = "developer"
    viewer = "viewer"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {Role.viewer: 1, Role.developer: 2, Role.admin: 3}


class Access(IntEnum):
    """What a caller needs to reach a route; every route declares one (see auth.authorize).

    The team levels follow the role table: read = viewer, edit = developer,
    people/keys/delete/resolve = admin.
    """

    public = 0  # no credentials: sign-up, login, health
    user = 1  # a signed-in person, whatever the team (me, my teams, switch team)
    viewer = 2
    developer = 3
    admin = 4
    agent = 5  # an `agent` API key: ingest only

    @property
    def minimum_role(self) -> Role | None:
        return {
            Access.viewer: Role.viewer,
            Access.developer: Role.developer,
            Access.admin: Role.admin,
        }.get(self)


class KeyKind(StrEnum):
    agent = "agent"  # pushes metrics and logs, nothing else
    automation = "automation"  # the REST API with the role it was given


# Route options, one per level: `@get("/x", opt=VIEWER)`.
PUBLIC = {"access": Access.public}
USER = {"access": Access.user}
VIEWER = {"access": Access.viewer}
DEVELOPER = {"access": Access.developer}
ADMIN = {"access": Access.admin}
AGENT = {"access": Access.agent}
