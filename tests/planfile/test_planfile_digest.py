"""Canonical JSON, digests, finalize() and the credential defence."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from planfile_docs import raw_plan

from vastplan.planfile import (
    DIGESTED_KEYS,
    PlanFileError,
    canonical_json,
    clean_endpoint,
    compute_plan_digest,
    digest_of,
    finalize,
    max_risk_of,
    summary_of,
)


def _reversed_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _reversed_keys(value[key]) for key in reversed(list(value))}
    if isinstance(value, list):
        return [_reversed_keys(item) for item in value]
    return value


def test_canonical_json_is_sorted_compact_utf8() -> None:
    assert (
        canonical_json({"b": [1, {"d": 2, "c": "é"}], "a": None})
        == '{"a":null,"b":[1,{"c":"é","d":2}]}'.encode()
    )


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf")])
def test_canonical_json_refuses_nan_and_infinity(bad: float) -> None:
    with pytest.raises(ValueError, match="canonical JSON"):
        canonical_json({"x": bad})


def test_digest_format() -> None:
    assert digest_of({}) == "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"


def test_same_content_in_another_key_order_has_the_same_digest(plan_doc: dict[str, Any]) -> None:
    shuffled = _reversed_keys(plan_doc)
    assert list(shuffled) != list(plan_doc)
    assert compute_plan_digest(shuffled) == compute_plan_digest(plan_doc) == plan_doc["plan_digest"]


def test_plan_digest_covers_exactly_the_documented_keys(plan_doc: dict[str, Any]) -> None:
    assert DIGESTED_KEYS == ("format_version", "endpoint", "observed_digest", "changes", "steps")
    expected = digest_of({key: plan_doc[key] for key in DIGESTED_KEYS})
    assert plan_doc["plan_digest"] == expected


@pytest.mark.parametrize(
    "key, value",
    [
        ("created_at", "2030-01-01T00:00:00Z"),
        ("generator", "vastplan 9"),
        ("diagnostics", []),
        ("spec_files", ["other.yaml"]),
    ],
)
def test_digest_ignores_keys_outside_the_contract(plan_doc: dict[str, Any], key: str, value: Any) -> None:
    plan_doc[key] = value
    assert compute_plan_digest(plan_doc) == plan_doc["plan_digest"]


@pytest.mark.parametrize(
    "path", [("endpoint",), ("observed_digest",), ("changes", 0, "reason"), ("steps", 1, "body", "path")]
)
def test_digest_covers_content(plan_doc: dict[str, Any], path: tuple[Any, ...]) -> None:
    holder: Any = plan_doc
    for key in path[:-1]:
        holder = holder[key]
    holder[path[-1]] = "sha256:" + "1" * 64 if path[-1] == "observed_digest" else "changed"
    assert compute_plan_digest(plan_doc) != plan_doc["plan_digest"]


def test_finalize_returns_a_validated_copy() -> None:
    raw = raw_plan()
    before = copy.deepcopy(raw)
    doc = finalize(raw)
    assert raw == before
    assert doc["plan_digest"] == compute_plan_digest(doc)
    assert json.loads(json.dumps(doc)) == doc


def test_finalize_validates() -> None:
    raw = raw_plan()
    raw["summary"]["create"] = 5
    with pytest.raises(PlanFileError, match=r"\$\.summary\.create: is 5 but 2 change"):
        finalize(raw)


def test_finalize_refuses_nan() -> None:
    raw = raw_plan()
    raw["changes"][0]["before"]["size"] = float("nan")
    with pytest.raises(PlanFileError, match="cannot be written as JSON"):
        finalize(raw)


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://admin:123456@vms.example.com",
        "https://admin@vms.example.com:443/x",
        "admin:secret@vms.example.com",
    ],
)
def test_endpoint_with_credentials_is_refused_without_repeating_them(endpoint: str) -> None:
    raw = raw_plan()
    raw["endpoint"] = endpoint
    with pytest.raises(PlanFileError, match="refusing to put credentials in a plan") as caught:
        finalize(raw)
    assert "123456" not in str(caught.value) and "secret" not in str(caught.value)


@pytest.mark.parametrize(
    "endpoint, clean",
    [
        ("https://vms.example.com/?token=abc", "https://vms.example.com/"),
        ("https://vms.example.com:8443#frag", "https://vms.example.com:8443"),
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("sim://state.json", "sim://state.json"),
        ("sim://states/a@b.json", "sim://states/a@b.json"),
    ],
)
def test_clean_endpoint(endpoint: str, clean: str) -> None:
    assert clean_endpoint(endpoint) == clean


def test_finalize_strips_the_query_string_before_the_digest() -> None:
    raw = raw_plan()
    raw["endpoint"] = "https://vms.example.com?api_token=abc"
    doc = finalize(raw)
    assert doc["endpoint"] == "https://vms.example.com"
    assert "abc" not in json.dumps(doc)


def test_summary_and_max_risk_helpers() -> None:
    changes = raw_plan()["changes"]
    assert summary_of(changes) == {"create": 2, "update": 0, "replace": 0, "delete": 1, "noop": 1}
    assert max_risk_of(changes) == "data-loss"
    assert max_risk_of([{"action": "noop", "risk": "safe"}]) == "none"
    assert max_risk_of([]) == "none"


@pytest.mark.parametrize("endpoint", [None, 5, ""])
def test_finalize_refuses_a_missing_endpoint(endpoint: Any) -> None:
    raw = raw_plan()
    raw["endpoint"] = endpoint
    with pytest.raises(PlanFileError, match=r"\$\.endpoint"):
        finalize(raw)
