"""A result as plain JSON data, and back: what a page shows, redacted before it is rendered.

A workbench's result is a tree of dataclasses, named tuples, sentences (diagnostics.core.text) and
dates. :func:`freeze` turns it into JSON-able data — a dataclass becomes a dict of its fields and
properties, a sentence keeps its template and values (so it is still translated when shown), a
date keeps its ISO form — and :func:`thaw` turns that data into what the templates read: dicts
(templates look attributes up in dicts first), named tuples, sentences and datetimes again.

The web layer redacts the frozen data (diagnostics.core.redaction.Redactor.tree) and renders the thawed
copy, live and for a share link alike: a share stores the frozen, redacted data, never HTML.

>>> from diagnostics.core.text import _
>>> frozen = freeze({"message": _("缺少 {name}。", name="appid")})
>>> frozen
{'message': {'$text': '缺少 {name}。', 'values': {'name': 'appid'}}}
>>> str(thaw(frozen)["message"])
'缺少 appid。'
"""

from __future__ import annotations

import dataclasses
import datetime
import enum
from collections import namedtuple
from collections.abc import Mapping
from functools import cache
from typing import Any

from diagnostics.core.text import Joined, Text

MAX_DEPTH = 40


def freeze(value: Any, depth: int = 0) -> Any:
    """``value`` as JSON-able data; objects that are not data (keys, forms) become None."""
    if depth > MAX_DEPTH:
        return None
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Text):
        return {"$text": value.template, "values": freeze(value.values, depth + 1)}
    if isinstance(value, Joined):
        return {
            "$joined": freeze(value.separator, depth + 1),
            "items": [freeze(item, depth + 1) for item in value.items],
        }
    if isinstance(value, enum.Enum):
        return freeze(value.value, depth + 1)
    if isinstance(value, datetime.datetime | datetime.date):
        return {"$datetime": value.isoformat()}
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return {
            "$fields": list(value._fields),
            "$tuple": [freeze(item, depth + 1) for item in value],
        }
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        data = {
            item.name: freeze(getattr(value, item.name), depth + 1)
            for item in dataclasses.fields(value)
        }
        for name in _properties(type(value)):
            try:
                data[name] = freeze(getattr(value, name), depth + 1)
            except Exception:  # a property that cannot be computed is not shown
                continue
        return data
    if isinstance(value, Mapping):
        return {str(key): freeze(item, depth + 1) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [freeze(item, depth + 1) for item in value]
    return None


@cache
def _properties(cls: type) -> tuple[str, ...]:
    names = []
    for klass in cls.__mro__:
        for name, attribute in vars(klass).items():
            if isinstance(attribute, property) and not name.startswith("_") and name not in names:
                names.append(name)
    return tuple(names)


def plain(data: Any) -> Any:
    """Frozen data as the API answers it: sentences as text in the current language, records as
    objects, times as ISO 8601.

    >>> from diagnostics.core.text import _
    >>> plain(freeze({"message": _("缺少 {name}。", name="appid"), "at": datetime.date(2026, 1, 2)}))
    {'message': '缺少 appid。', 'at': '2026-01-02'}
    """
    if isinstance(data, list):
        return [plain(item) for item in data]
    if not isinstance(data, dict):
        return data
    if "$text" in data or "$joined" in data:
        return str(thaw(data))
    if "$datetime" in data:
        return data["$datetime"]
    if "$tuple" in data:
        return {
            str(name): plain(item)
            for name, item in zip(data.get("$fields", []), data["$tuple"], strict=False)
        }
    return {key: plain(item) for key, item in data.items()}


def thaw(data: Any) -> Any:
    """What :func:`freeze` made, as the templates read it."""
    if isinstance(data, list):
        return [thaw(item) for item in data]
    if not isinstance(data, dict):
        return data
    if "$text" in data:
        return Text(str(data["$text"]), thaw(data.get("values") or {}))
    if "$joined" in data:
        return Joined(thaw(data["$joined"]), tuple(thaw(item) for item in data.get("items", [])))
    if "$datetime" in data:
        return datetime.datetime.fromisoformat(str(data["$datetime"]))
    if "$tuple" in data:
        fields = tuple(str(name) for name in data.get("$fields", []))
        items = [thaw(item) for item in data["$tuple"]]
        if len(fields) != len(items) or not all(name.isidentifier() for name in fields):
            return tuple(items)
        return _record(fields)(*items)
    return {key: thaw(item) for key, item in data.items()}


@cache
def _record(fields: tuple[str, ...]) -> type:
    return namedtuple("Record", fields, rename=True)
