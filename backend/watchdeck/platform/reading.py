"""Reading decoded JSON into a wire type: the one way the API, the sockets, channel settings
and agent batches turn what a client sent into a Struct, or into a refusal a person can act on.

`read` applies the text rules of platform/text.py to every string and key (labels stripped,
as their type marks them), then converts strictly: `"60"` is not 60, `0` is not `false`,
unknown fields are refused. Every refusal is an `Invalid` on the field's path as the client
wrote it (`components[1].name`), with msgspec's words made plain and a fixed set of values
listed.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import msgspec
import msgspec.inspect as mi

from watchdeck.platform.errors import Invalid
from watchdeck.platform.text import LABEL_MARK, label_problem, text_problem

# A field or key as the client sent it, or a list index.
Part = str | int
# Where msgspec says a fault is in a dict's keys, or in one of its values (it names neither).
KEY, VALUE = "[key]", "[...]"
_MARKS = (KEY, VALUE)


def read(value: Any, target: Any, *, root: str = "body", prefix: str = "") -> Any:
    """`value` as an instance of `target`, or Invalid naming where it is wrong.

    A field is named `prefix` + its path (`config.url` for prefix "config."); the value as a
    whole, or a list it is, is named `root` (`body`, `body[0]`).
    """
    info = _info(target)
    try:
        value = _clean(value, info, ())
    except _Refused as refused:
        raise Invalid(name(refused.path, root, prefix), refused.why) from None
    try:
        return msgspec.convert(value, target, strict=True)
    except msgspec.ValidationError as error:
        path, why = explain(str(error), target)
        raise Invalid(name(path, root, prefix), why) from None


def name(path: tuple[Part, ...], root: str, prefix: str) -> str:
    """`path` written as a client reads it: `a.b[0].c`."""
    written = "".join(
        f"[{part}]" if isinstance(part, int) else part if part in _MARKS else f".{part}"
        for part in path
    )
    if not path or isinstance(path[0], int) or path[0] in _MARKS:
        return root + written
    return prefix + written[1:]


class _Refused(Exception):
    def __init__(self, path: tuple[Part, ...], why: str) -> None:
        self.path, self.why = path, why


@cache
def _info(target: Any) -> mi.Type:
    return mi.type_info(target)


def _members(info: mi.Type) -> tuple[mi.Type, ...]:
    if isinstance(info, mi.UnionType):
        return tuple(member for union in info.types for member in _members(union))
    return (info,)


def _bare(info: mi.Type) -> mi.Type:
    return info.type if isinstance(info, mi.Metadata) else info


def _fits(value: Any, info: mi.Type) -> bool:
    bare = _bare(info)
    if isinstance(value, str):
        return isinstance(bare, mi.StrType)
    if isinstance(value, dict):
        return isinstance(bare, (mi.StructType, mi.DictType, mi.TypedDictType))
    if isinstance(value, list):
        return isinstance(bare, (mi.ListType, mi.SetType, mi.FrozenSetType, mi.VarTupleType))
    return False


def _shown(key: Any) -> str:
    """A client's field name as a refusal names it: cut short, since the client chose it."""
    text = str(key)
    return text if len(text) <= 40 else text[:40] + "…"


def _clean(value: Any, info: mi.Type | None, at: tuple[Part, ...]) -> Any:
    """`value` with its labels stripped; raises _Refused at the first string breaking a rule."""
    if info is not None:
        info = next((member for member in _members(info) if _fits(value, member)), None)
    if isinstance(value, str):
        problem = text_problem(value)
        if problem is None and isinstance(info, mi.Metadata) and info.extra == LABEL_MARK:
            value = value.strip()
            problem = label_problem(value)
        if problem is not None:
            raise _Refused(at, problem)
        return value
    bare = _bare(info) if info is not None else None
    if isinstance(value, dict):
        fields: dict[str, mi.Type] = {}
        if isinstance(bare, mi.StructType):
            fields = {field.encode_name: field.type for field in bare.fields}
        inner = bare.value_type if isinstance(bare, mi.DictType) else None
        cleaned = {}
        for key, item in value.items():
            if isinstance(key, str) and (problem := text_problem(key)) is not None:
                raise _Refused((*at, KEY), f"field name {problem}")
            cleaned[key] = _clean(item, inner or fields.get(key), (*at, _shown(key)))
        return cleaned
    if isinstance(value, list):
        item_type = getattr(bare, "item_type", None)
        return [_clean(item, item_type, (*at, index)) for index, item in enumerate(value)]
    return value


def _type_at(info: mi.Type | None, path: tuple[Part, ...]) -> mi.Type | None:
    for part in path:
        if info is None:
            return None
        found: mi.Type | None = None
        for member in _members(info):
            bare = _bare(member)
            if isinstance(part, str) and isinstance(bare, mi.StructType):
                found = next((f.type for f in bare.fields if f.encode_name == part), None)
            elif isinstance(part, str) and isinstance(bare, mi.DictType):
                found = bare.key_type if part == KEY else bare.value_type
            elif isinstance(part, int):
                found = getattr(bare, "item_type", None)
            if found is not None:
                break
        info = found
    return info


def _choices(info: mi.Type | None) -> list[str] | None:
    for member in _members(info) if info is not None else ():
        bare = _bare(member)
        if isinstance(bare, mi.EnumType):
            return [str(item.value) for item in bare.cls]
        if isinstance(bare, mi.LiteralType):
            return [str(item) for item in bare.values]
    return None


def _description(info: mi.Type | None) -> str | None:
    for member in _members(info) if info is not None else ():
        if isinstance(member, mi.Metadata) and member.extra_json_schema:
            return member.extra_json_schema.get("description")
    return None


# msgspec's own words, "Expected `str`, got `int` - at `$.room`", for a person reading them.
_AT = re.compile(r"^(?P<why>.*?)(?: - at (?P<key>`key` in )?`\$(?P<path>[^`]*)`)?$", re.DOTALL)
_PARTS = re.compile(r"\.([^.\[]+)|\[(\d+|\.\.\.)\]")
_NAMED = re.compile(
    r"^Object (?P<what>missing required|contains unknown) field `(?P<name>.*)`$", re.DOTALL
)
_TYPES = {
    "str": "a string",
    "int": "an integer",
    "float": "a number",
    "bool": "true or false",
    "null": "null",
    "object": "an object",
    "array": "an array",
    "uuid": "a UUID",
    "bytes": "binary data",
    "datetime": "an RFC 3339 timestamp",
    "date": "a date (YYYY-MM-DD)",
}
_MISMATCH = re.compile(r"^Expected `(?P<want>[^`]+)`, got `(?P<got>\w+)`$")
_BOUND = re.compile(r"^Expected `(?P<kind>\w+)` (?:of length )?(?P<op>[<>]=?) (?P<n>[\d.]+)$")


def _kinds(want: str) -> str:
    named = [_TYPES.get(kind.strip(), f"`{kind.strip()}`") for kind in want.split("|")]
    return " or ".join(named)


def explain(error: str, target: Any = None) -> tuple[tuple[Part, ...], str]:
    """(path, why) from the text of a msgspec ValidationError about a value of `target`."""
    info = _info(target) if target is not None else None
    found = _AT.match(error)
    assert found is not None  # the pattern matches any text
    why = found["why"]
    path: tuple[Part, ...] = tuple(
        (VALUE if index == "..." else int(index)) if index else _shown(field)
        for field, index in _PARTS.findall(found["path"] or "")
    )
    if found["key"]:
        return (*path, KEY), explain(why)[1]
    if named := _NAMED.match(why):
        missing = named["what"] == "missing required"
        return (*path, _shown(named["name"])), "required" if missing else "unknown field"
    if mismatch := _MISMATCH.match(why):
        return path, f"expected {_kinds(mismatch['want'])}, got {_kinds(mismatch['got'])}"
    if bound := _BOUND.match(why):
        n, op = bound["n"], bound["op"]
        least = {">=": "at least", ">": "more than", "<=": "at most", "<": "less than"}[op]
        if bound["kind"] in ("str", "array", "object"):
            if op == ">=" and n == "1":
                return path, "must not be empty"
            unit = "characters" if bound["kind"] == "str" else "items"
            return path, f"{least} {n} {unit}"
        return path, f"must be {least} {n}"
    if why.startswith("Invalid enum value"):
        choices = _choices(_type_at(info, path))
        if choices:
            given = why.removeprefix("Invalid enum value").strip()
            return path, f"must be one of {', '.join(choices)} (got {given})"
    if "matching regex" in why:
        described = _description(_type_at(info, path))
        return path, f"must be {described}" if described else "has an invalid format"
    if why == "Invalid UUID":
        return path, "expected a UUID"
    return path, why[:1].lower() + why[1:]
