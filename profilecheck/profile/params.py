"""Turn a rule file's parameter table into a typed dataclass, collecting every problem found.

A rule type declares its parameters as a dataclass; this module checks a TOML table against it
(types, unknown keys with a did-you-mean, missing required keys) so that `profile validate` can
name the file and key of each mistake.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from functools import cache
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints


@dataclasses.dataclass
class ParamProblem:
    key: str
    message: str
    level: str = "error"  # "error" makes the profile invalid; "warning" and "note" do not


def parse_params(cls: type, table: Any, prefix: str = "params") -> tuple[Any, list[ParamProblem]]:
    """Build `cls` from `table`; on problems the returned object is None."""
    problems: list[ParamProblem] = []
    value = _convert(cls, table, prefix, problems)
    return (None if problems else value), problems


def _convert(hint: Any, value: Any, key: str, problems: list[ParamProblem]) -> Any:
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        options = get_args(hint)
        if value is None and type(None) in options:
            return None
        for option in options:
            if option is type(None):
                continue
            trial: list[ParamProblem] = []
            result = _convert(option, value, key, trial)
            if not trial:
                return result
        problems.append(ParamProblem(key, f"expected {_describe(hint)}, got {value!r}"))
        return None
    if origin is Literal:
        if value not in get_args(hint):
            allowed = ", ".join(repr(v) for v in get_args(hint))
            problems.append(ParamProblem(key, f"must be one of {allowed}, got {value!r}"))
        return value
    if origin in (list, tuple):
        if not isinstance(value, list):
            problems.append(ParamProblem(key, f"expected a list, got {value!r}"))
            return []
        (item,) = get_args(hint)[:1] or (Any,)
        items = [_convert(item, v, f"{key}[{i}]", problems) for i, v in enumerate(value)]
        return tuple(items) if origin is tuple else items
    if origin is dict:
        if not isinstance(value, dict):
            problems.append(ParamProblem(key, f"expected a table, got {value!r}"))
            return {}
        _, item = get_args(hint) or (str, Any)
        return {k: _convert(item, v, f"{key}.{k}", problems) for k, v in value.items()}
    if dataclasses.is_dataclass(hint):
        return _dataclass(hint, value, key, problems)
    return _scalar(hint, value, key, problems)


def _scalar(hint: Any, value: Any, key: str, problems: list[ParamProblem]) -> Any:
    if hint is Any:
        return value
    if hint is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if hint in (str, int, float, bool) and (type(value) is not hint):
        problems.append(ParamProblem(key, f"expected {_describe(hint)}, got {value!r}"))
        return None
    return value


@cache
def _hints(cls: type) -> dict[str, Any]:
    """The field types of `cls`, its string annotations evaluated once (a palette's every
    colour, a logo's every version are the same dataclass). Read, never changed."""
    return get_type_hints(cls)


def _dataclass(cls: type, value: Any, key: str, problems: list[ParamProblem]) -> Any:
    if not isinstance(value, dict):
        problems.append(ParamProblem(key, f"expected a table, got {value!r}"))
        return None
    hints = _hints(cls)
    fields = {field.name: field for field in dataclasses.fields(cls)}
    aliases = {name.replace("_", "-"): name for name in fields}
    kwargs: dict[str, Any] = {}
    for raw_name, raw_value in value.items():
        name = aliases.get(raw_name, raw_name)
        if name not in fields:
            problems.append(ParamProblem(f"{key}.{raw_name}", unknown_key(raw_name, aliases)))
            continue
        kwargs[name] = _convert(hints[name], raw_value, f"{key}.{raw_name}", problems)
    for name, field in fields.items():
        required = (
            field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING
        )
        if required and name not in kwargs:
            problems.append(ParamProblem(f"{key}.{name.replace('_', '-')}", "is required"))
    if problems:
        return None
    try:
        return cls(**kwargs)
    except (TypeError, ValueError) as error:
        problems.append(ParamProblem(key, str(error)))
        return None


def unknown_key(name: str, known: typing.Iterable[str]) -> str:
    import difflib  # only for a mistake in a profile

    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"unknown key{hint}"


SCALAR_NAMES = {str: "text", int: "a whole number", float: "a number", bool: "true or false"}


def _describe(hint: Any) -> str:
    return SCALAR_NAMES.get(hint) or str(hint).replace("typing.", "")
