"""List endpoints: Django-style filters, pagination envelopes, field projection (VMS_API.md §3.2).

Filters apply to the rendered records, so server-computed fields (``tenant_name``, the view's ``policy``)
filter like stored ones. ``policy__name`` and ``policy__id`` follow a relation the way Django does: here they
read the record's ``policy`` and ``policy_id`` fields.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

from vastplan.sim.errors import BadRequest, FieldErrors, NotFound
from vastplan.sim.request import SimRequest
from vastplan.sim.state import Record

# Query keys that are not filters. [INFERRED] ``fields`` projects (a third-party script uses it, §3.2).
NOT_FILTERS = frozenset(
    {
        "page",
        "page_size",
        "fields",
        "ordering",
        "format",
        "force",
        "force_remove",
        "serves_tenant",
        "show_user_rules",
    }
)
LOOKUPS = frozenset(
    {
        "exact",
        "iexact",
        "contains",
        "icontains",
        "startswith",
        "istartswith",
        "endswith",
        "iendswith",
        "in",
        "gt",
        "gte",
        "lt",
        "lte",
        "regex",
        "iregex",
        "isnull",
    }
)


def filter_records(records: Sequence[Record], request: SimRequest, fields: Iterable[str]) -> list[Record]:
    """Records matching every filter in the query; repeated keys of one filter are alternatives."""
    tests = compile_filters(request, fields)
    return [record for record in records if all(test(record) for test in tests)]


def compile_filters(request: SimRequest, fields: Iterable[str]) -> list[_Filter]:
    """The query's filters, one per key; a filter's ``field`` says which record field it reads."""
    known = set(fields)
    grouped: dict[str, list[str]] = {}
    for key, value in request.query:
        if key not in NOT_FILTERS:
            grouped.setdefault(key, []).append(value)
    return [_compile(key, values, known) for key, values in grouped.items()]


class _Filter:
    def __init__(self, field: str, lookup: str, negate: bool, values: list[str]) -> None:
        self.field, self.lookup, self.negate, self.values = field, lookup, negate, values
        if lookup == "in":
            # VMS_API.md §2.1/§3.2: list values come as repeated keys or comma-joined.
            self.values = [part for value in values for part in value.split(",")]

    def __call__(self, record: Mapping[str, Any]) -> bool:
        value = record.get(self.field)
        result = any(_match(value, self.lookup, text) for text in self.values)
        return result != self.negate


def _compile(key: str, values: list[str], known: set[str]) -> _Filter:
    parts = key.split("__")
    lookup, negate = "exact", False
    if len(parts) > 1:
        tail = parts[-1]
        if tail.startswith("not_") and tail[4:] in LOOKUPS:
            # VMS_API.md §3.2: negated lookups (``__not_...``).
            lookup, negate = tail[4:], True
            parts = parts[:-1]
        elif tail in LOOKUPS:
            lookup = tail
            parts = parts[:-1]
    field = _resolve(parts, known)
    if field is None:
        # [INFERRED] the VMS filters on (almost) any model field (§3.2); the simulator refuses unknown ones
        # rather than silently return everything.
        raise BadRequest(f"Unknown filter field in '{key}'.")
    return _Filter(field, lookup, negate, values)


def _resolve(parts: list[str], known: set[str]) -> str | None:
    joined = "_".join(parts)
    if joined in known:
        return joined
    if len(parts) >= 2:
        base, last = "_".join(parts[:-1]), parts[-1]
        if last == "id" and f"{base}_id" in known:
            return f"{base}_id"
        if last == "name" and f"{base}_name" in known:
            return f"{base}_name"
        if last == "name" and base in known:
            # ``policy__name`` -> ``policy`` (the view's policy name), ``cluster__name`` -> ``cluster``.
            return base
    return None


def _match(value: Any, lookup: str, text: str) -> bool:
    if lookup == "isnull":
        return (value is None) == (text.lower() in ("true", "1"))
    if value is None:
        return lookup == "exact" and text.lower() in ("null", "none")
    if isinstance(value, list):
        return any(_match(item, lookup, text) for item in value)
    if lookup in ("exact", "in"):
        return _equal(value, text)
    if lookup in ("gt", "gte", "lt", "lte"):
        return _compare(value, text, lookup)
    return _match_text(str(value), lookup, text)


def _match_text(value: str, lookup: str, text: str) -> bool:
    if lookup in ("regex", "iregex"):
        try:
            return re.search(text, value, re.IGNORECASE if lookup == "iregex" else 0) is not None
        except re.error as exc:
            raise FieldErrors.one(lookup, f"Invalid regular expression: {exc}") from exc
    if lookup.startswith("i"):
        value, text, lookup = value.lower(), text.lower(), lookup[1:]
    if lookup == "exact":
        return value == text
    if lookup == "contains":
        return text in value
    if lookup == "startswith":
        return value.startswith(text)
    return value.endswith(text)


def _equal(value: Any, text: str) -> bool:
    if isinstance(value, bool):
        return text.lower() in (("true", "1") if value else ("false", "0"))
    if isinstance(value, (int, float)):
        try:
            return float(text) == value
        except ValueError:
            return False
    return str(value) == text


def _compare(value: Any, text: str, lookup: str) -> bool:
    left: Any = value
    right: Any = text
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            right = float(text)
        except ValueError:
            return False
    else:
        left = str(value)
    if lookup == "gt":
        return bool(left > right)
    if lookup == "gte":
        return bool(left >= right)
    if lookup == "lt":
        return bool(left < right)
    return bool(left <= right)


def paginate(
    records: Sequence[Record], request: SimRequest, render: Callable[[Record], Record] | None = None
) -> list[Record] | Record:
    """A plain array without ``page_size``/``page``; else ``{count, next, previous, results}`` (§3.2).

    ``next``/``previous`` are absolute URLs with the request's own ``/api/<ver>/`` prefix and query.
    ``render``, when given, turns the returned records into answers: only the requested page is rendered,
    so walking a large collection page by page does not render it once per page.
    """
    finish = render or (lambda record: record)
    size_text, page_text = request.last("page_size"), request.last("page")
    if size_text is None and page_text is None:
        return [finish(record) for record in records]
    size = _positive(size_text, "page_size") if size_text is not None else DEFAULT_PAGE_SIZE
    page = _positive(page_text, "page") if page_text is not None else 1
    pages = max(1, math.ceil(len(records) / size))
    if page > pages:
        # DRF's answer for a page past the end.
        raise NotFound("Invalid page.")
    return {
        "count": len(records),
        "next": _page_url(request, page + 1) if page < pages else None,
        "previous": _page_url(request, page - 1) if page > 1 else None,
        "results": [finish(record) for record in records[(page - 1) * size : page * size]],
    }


# [INFERRED] the page size when a client sends ``page`` alone.
DEFAULT_PAGE_SIZE = 100


def _positive(text: str, key: str) -> int:
    if not text.isdigit() or int(text) < 1:
        if key == "page":
            raise NotFound("Invalid page.")
        raise FieldErrors.one(key, "A valid positive integer is required.")
    return int(text)


def _page_url(request: SimRequest, page: int) -> str:
    query = [(key, value) for key, value in request.query if key != "page"]
    if page > 1:
        # DRF leaves the page parameter out of the link to the first page.
        query.append(("page", str(page)))
    suffix = f"?{urlencode(query)}" if query else ""
    return f"{request.origin}{request.path}{suffix}"


def project(data: list[Record] | Record, request: SimRequest) -> list[Record] | Record:
    """Keep only the fields named by ``fields=a,b`` (in a page envelope, inside ``results``)."""
    wanted = [name for value in request.values("fields") for name in value.split(",") if name]
    if not wanted:
        return data
    if isinstance(data, dict):
        return {**data, "results": [_pick(row, wanted) for row in data["results"]]}
    return [_pick(row, wanted) for row in data]


def _pick(row: Record, wanted: list[str]) -> Record:
    return {name: row[name] for name in wanted if name in row}
