"""Host entries of view policy host lists."""

from __future__ import annotations

import pytest

from vastplan.spec.hosts import host_problem


@pytest.mark.parametrize(
    "entry",
    [
        "*",
        "10.0.0.5",
        "0.0.0.0",
        "2001:db8::5",
        "::1",
        "10.0.0.0/24",
        "10.0.0.5/32",
        "0.0.0.0/0",
        "2001:db8::/64",
        "2001:db8::5/128",
        "10.0.*.*",
        "*.*.*.*",
        "10.*.0.1",
        "@netgroup",
        "@ng.example-1_x",
        "~10.0.0.7",
        "~10.0.0.0/8",
        "~10.1.*.*",
        "~2001:db8::/32",
    ],
)
def test_valid_host_entries(entry: str) -> None:
    assert host_problem(entry) is None


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("10.0.0.1/24", "'10.0.0.1/24' has host bits set; the network is 10.0.0.0/24"),
        ("~10.0.0.1/24", "the network is ~10.0.0.0/24"),
        ("2001:db8::1/64", "the network is 2001:db8::/64"),
        ("10.0.0.0/33", "'10.0.0.0/33' is not a valid CIDR network"),
        ("host.example.com", "is not a valid host entry; expected an IP address, a CIDR network"),
        ("10.0.0.256", "is not a valid host entry"),
        ("010.0.0.1", "is not a valid host entry"),
        ("10.0.*", "is not a valid wildcard"),
        ("10.0.0*.1", "is not a valid wildcard"),
        ("10.0.300.*", "is not a valid wildcard"),
        ("2001:db8::*", "is not a valid wildcard"),
        ("@", "is not a valid netgroup name"),
        ("@bad name", "is not a valid netgroup name"),
        ("~", "is not a valid deny rule"),
        ("~*", "is not a valid deny rule"),
        ("~@ng", "is not a valid deny rule"),
        ("~~10.0.0.1", "is not a valid deny rule"),
        (" 10.0.0.1", "has spaces around it"),
        ("10.0.0.1-10.0.0.9", "is not a valid host entry"),
        ("", "must not be empty"),
    ],
)
def test_invalid_host_entries(entry: str, message: str) -> None:
    problem = host_problem(entry)
    assert problem is not None and message in problem
