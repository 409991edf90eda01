"""Sizes: bytes or strings with units, to exact int bytes."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vastplan.spec.sizes import MAX_SIZE, UNITS, SizeError, describe_size, format_size, parse_size

KIB, MIB, GIB, TIB, PIB = (1024**n for n in range(1, 6))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (0, 0),
        (10737418240, 10737418240),
        (1024.0, 1024),
        ("0", 0),
        ("1024", 1024),
        ("1B", 1),
        ("1KB", 1000),
        ("500GB", 500 * 1000**3),
        ("2TB", 2 * 1000**4),
        ("1PB", 1000**5),
        ("1KiB", KIB),
        ("3MiB", 3 * MIB),
        ("10GiB", 10 * GIB),
        ("1.5TiB", 3 * TIB // 2),
        ("1PiB", PIB),
        ("0.5KB", 500),
        ("10 GiB", 10 * GIB),
        ("  7GiB  ", 7 * GIB),
        ("10gib", 10 * GIB),
        ("10Gb", 10 * 1000**3),
        ("1.25MB", 1_250_000),
        (str(MAX_SIZE), MAX_SIZE),
    ],
)
def test_parse_size(text: object, expected: int) -> None:
    assert parse_size(text) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (-1, "-1 is negative"),
        ("-5GiB", "'-5GiB' is negative"),
        ("lots", "'lots' is not a size; write bytes"),
        ("", "'' is not a size"),
        ("1.5", None),  # fractional bytes
        ("10G", "unknown unit 'G' in '10G': use one of B, KB, MB, GB, TB, PB, KiB, MiB, GiB, TiB, PiB"),
        ("10Gi", "did you mean 'GiB'?"),
        ("10XB", "unknown unit 'XB'"),
        ("1.1GiB", "'1.1GiB' is 1181116006.4 bytes, not a whole number"),
        (True, "true is not a size"),
        (None, "None is not a size"),
        ([1], "[1] is not a size"),
        (1.5, "1.5 is not a whole number of bytes"),
        (float("inf"), "inf is not a size"),
        (float("nan"), "nan is not a size"),
        (MAX_SIZE + 1, "larger than the VMS can store"),
        ("9PiB" * 3, "is not a size"),
        ("100000PiB", "larger than the VMS can store"),
        (".5GiB", "is not a size"),
    ],
)
def test_parse_size_refuses(value: object, message: str | None) -> None:
    with pytest.raises(SizeError) as caught:
        parse_size(value)
    if message:
        assert message in str(caught.value)


def test_parse_size_refuses_fractional_bytes_without_unit() -> None:
    with pytest.raises(SizeError, match="not a whole number"):
        parse_size("1.5")


@pytest.mark.parametrize(
    ("size", "binary", "decimal"),
    [
        (0, "0B", "0B"),
        (1, "1B", "1B"),
        (1024, "1KiB", "1024B"),
        (1000, "1000B", "1KB"),
        (10 * GIB, "10GiB", "10737418240B"),
        (3 * TIB // 2, "1536GiB", "1649267441664B"),
        (PIB, "1PiB", "1125899906842624B"),
    ],
)
def test_format_size(size: int, binary: str, decimal: str) -> None:
    assert format_size(size) == binary
    assert format_size(size, binary=False) == decimal


def test_describe_size_picks_the_shorter_spelling() -> None:
    assert describe_size(10 * 1000**3) == "10GB"
    assert describe_size(20 * GIB) == "20GiB"


def test_format_size_refuses_negative() -> None:
    with pytest.raises(ValueError, match="0 or more"):
        format_size(-1)


@given(st.integers(min_value=0, max_value=MAX_SIZE), st.booleans())
def test_format_then_parse_gives_the_bytes_back(size: int, binary: bool) -> None:
    assert parse_size(format_size(size, binary=binary)) == size


@given(
    st.integers(min_value=0, max_value=10**6),
    st.integers(min_value=0, max_value=3),
    st.sampled_from(sorted(UNITS)),
    st.sampled_from(["", " "]),
    st.booleans(),
)
def test_decimal_numbers_with_units(number: int, places: int, unit: str, space: str, lower: bool) -> None:
    value = Decimal(number).scaleb(-places)
    text = f"{value:f}{space}{unit.lower() if lower else unit}"
    exact = value * UNITS[unit]
    if exact > MAX_SIZE:
        with pytest.raises(SizeError, match="larger than the VMS can store"):
            parse_size(text)
    elif exact == exact.to_integral_value():
        assert parse_size(text) == int(exact)
    else:
        with pytest.raises(SizeError, match="not a whole number"):
            parse_size(text)
