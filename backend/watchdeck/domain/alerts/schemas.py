"""Wire types of the alerts domain: rules, channels, alerts, deliveries."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal, Union

import msgspec

from watchdeck.domain.alerts.channels import TRANSPORTS, ChannelKind, secret_names
from watchdeck.domain.alerts.models import AlertStatus, Condition, DeliveryStatus, NotificationKind
from watchdeck.platform.text import label
from watchdeck.platform.vocabulary import Severity, TargetKind

Name = label(100)
Tag = Annotated[str, msgspec.Meta(min_length=1, max_length=50, pattern=r"^[\w.:/-]+$")]
Labels = Annotated[
    dict[
        Annotated[str, msgspec.Meta(min_length=1, max_length=50)],
        Annotated[str, msgspec.Meta(max_length=100)],
    ],
    msgspec.Meta(max_length=20),
]
Window = Annotated[int, msgspec.Meta(ge=30, le=86_400, description="seconds")]
Samples = Annotated[int, msgspec.Meta(ge=1, le=1000)]
Hold = Annotated[int, msgspec.Meta(ge=0, le=86_400, description="seconds")]
Repeat = Annotated[int, msgspec.Meta(ge=60, le=7 * 86_400, description="seconds")]
ChannelIds = Annotated[list[uuid.UUID], msgspec.Meta(max_length=20)]
UNSET = msgspec.UNSET
Unset = msgspec.UnsetType


class RuleIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    name: Name
    condition: Condition
    target_kind: TargetKind | None = None  # implied by the condition when left out
    target_id: uuid.UUID | None = None  # one service or host; none: all (narrowed by tags/labels)
    target_tags: Annotated[list[Tag], msgspec.Meta(max_length=20)] = []
    target_labels: Labels = {}
    threshold: float | None = None
    recovery_threshold: float | None = None
    window_s: Window = 300
    for_samples: Samples = 1
    for_s: Hold = 0
    severity: Severity = Severity.high
    channel_ids: ChannelIds = []
    open_incident: bool = False
    repeat_s: Repeat | None = None
    depends_on_id: uuid.UUID | None = None
    enabled: bool = True


class RulePatch(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Only the fields sent change; `null` clears an optional field."""

    name: Name | Unset = UNSET
    target_id: uuid.UUID | None | Unset = UNSET
    target_tags: Annotated[list[Tag], msgspec.Meta(max_length=20)] | Unset = UNSET
    target_labels: Labels | Unset = UNSET
    threshold: float | None | Unset = UNSET
    recovery_threshold: float | None | Unset = UNSET
    window_s: Window | Unset = UNSET
    for_samples: Samples | Unset = UNSET
    for_s: Hold | Unset = UNSET
    severity: Severity | Unset = UNSET
    channel_ids: ChannelIds | Unset = UNSET
    open_incident: bool | Unset = UNSET
    repeat_s: Repeat | None | Unset = UNSET
    depends_on_id: uuid.UUID | None | Unset = UNSET
    enabled: bool | Unset = UNSET


class RuleOut(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    name: str
    condition: Condition
    target_kind: TargetKind
    target_id: uuid.UUID | None
    target_tags: list[str]
    target_labels: dict[str, str]
    threshold: float | None
    recovery_threshold: float | None
    window_s: int
    for_samples: int
    for_s: int
    severity: Severity
    channel_ids: list[uuid.UUID]
    open_incident: bool
    repeat_s: int | None
    depends_on_id: uuid.UUID | None
    enabled: bool
    firing: int  # alerts of this rule firing now
    created_at: datetime
    updated_at: datetime


class ChannelIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    name: Name
    kind: ChannelKind
    config: dict[str, Any] = {}
    secrets: dict[str, Any] = {}  # write-only: never returned
    enabled: bool = True


class ChannelPatch(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """`config` replaces the public settings; `secrets` keys sent replace those secrets only."""

    name: Name | Unset = UNSET
    config: dict[str, Any] | Unset = UNSET
    secrets: dict[str, Any] | Unset = UNSET
    enabled: bool | Unset = UNSET


class ChannelOut(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    name: str
    kind: ChannelKind
    config: dict[str, Any]
    secrets_set: list[str]  # which secrets hold a value; the values never leave the server
    enabled: bool
    created_at: datetime
    updated_at: datetime


class DeliveryOut(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    channel_id: uuid.UUID
    channel_name: str
    test: bool
    title: str
    status: DeliveryStatus
    attempts: int
    log: list[dict[str, Any]]
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None
    kinds: list[NotificationKind] = []  # for an alert's log: firing / resolved / reminder


class AlertOut(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    rule_id: uuid.UUID | None
    rule_name: str
    condition: Condition
    subject_kind: TargetKind
    subject_id: uuid.UUID
    subject_name: str
    severity: Severity
    status: AlertStatus
    summary: str
    value: float | None
    threshold: float | None
    started_at: datetime
    resolved_at: datetime | None
    duration_s: float | None
    suppressed: bool
    notified: bool
    incident_id: uuid.UUID | None


class AlertDetail(msgspec.Struct, kw_only=True):
    alert: AlertOut
    deliveries: list[DeliveryOut]


class AlertPage(msgspec.Struct, kw_only=True):
    items: list[AlertOut]
    next_cursor: str | None


class AlertCount(msgspec.Struct, kw_only=True):
    count: int  # every alert that matches, not only a page of them


# --- what the OpenAPI schema says of channels ----------------------------------------------
#
# Requests decode as ChannelIn and ChannelPatch above, and each transport then checks its own
# settings, naming the field. The schema says more: one shape per channel kind, with that
# kind's config and secrets, so a client (and the web client's generated types) knows each
# field, e.g. a webhook's `signing_secret`. The shapes are made from the Structs above and the
# transports' settings, so a new field or kind shows up here by itself.


def _all_optional(struct_type: type[msgspec.Struct]) -> bool:
    return not any(field.required for field in msgspec.structs.fields(struct_type))


def _secrets_change(kind: ChannelKind) -> type[msgspec.Struct]:
    """A kind's secrets as a change sends them: each one optional, the rest kept."""
    secrets_type = TRANSPORTS[kind].secrets_type
    return msgspec.defstruct(
        secrets_type.__name__.replace("Secrets", "SecretsChange"),
        [
            (field.name, field.type | Unset, UNSET)  # type: ignore[operator]
            for field in msgspec.structs.fields(secrets_type)
        ],
        kw_only=True,
        module=__name__,
    )


def _optional(field: msgspec.structs.FieldInfo) -> tuple[str, Any, Any]:
    if field.default_factory is not msgspec.NODEFAULT:
        return field.name, field.type, msgspec.field(default_factory=field.default_factory)
    return field.name, field.type, field.default


def _shape(base: type[msgspec.Struct], kind: ChannelKind) -> type[msgspec.Struct]:
    """`base` for channels of `kind`: its config, secrets and secrets_set typed for the kind,
    and (but for a change, which cannot move a channel to another kind) `kind` its tag."""
    transport = TRANSPORTS[kind]
    change = base is ChannelPatch
    typed: dict[str, Any] = {
        "config": transport.config_type,
        "secrets": _secrets_change(kind) if change else transport.secrets_type,
        "secrets_set": list[Literal[tuple(secret_names(kind))]],  # type: ignore[misc]
    }
    fields: list[tuple[str, Any] | tuple[str, Any, Any]] = []
    for field in msgspec.structs.fields(base):
        if field.name == "kind":
            continue
        kind_type = typed.get(field.name)
        if kind_type is None:
            fields.append((field.name, field.type) if field.required else _optional(field))
        elif change:
            fields.append((field.name, kind_type | Unset, UNSET))
        elif base is ChannelIn and _all_optional(kind_type):
            fields.append((field.name, kind_type, msgspec.field(default_factory=kind_type)))
        else:
            fields.append((field.name, kind_type))
    tag = {} if change else {"tag_field": "kind", "tag": kind.value}
    shape = msgspec.defstruct(
        f"{kind.value.title()}{base.__name__}", fields, kw_only=True, module=__name__, **tag
    )
    shape.__doc__ = base.__doc__
    return shape


# Each wire type above and the union of its per-kind shapes that documents it.
DOCUMENTED_AS: dict[type[msgspec.Struct], Any] = {
    base: Union[tuple(_shape(base, kind) for kind in ChannelKind)]  # noqa: UP007
    for base in (ChannelIn, ChannelPatch, ChannelOut)
}
