"""Hypothesis strategies for garbage input, shared by the fuzz tests of the forms (issue 12, "Input")."""

from __future__ import annotations

from hypothesis import strategies as st

CONTROL = st.sampled_from([chr(i) for i in range(0x20)] + ["\x7f"])
TEXT = st.lists(st.one_of(st.characters(exclude_categories=("Cs",)), CONTROL, st.just("\x00")), max_size=30).map("".join)
NUMBERS = st.one_of(
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.sampled_from(
        [
            "2147483647", "2147483648", "-2147483648", "-2147483649", "32767", "32768", "9223372036854775808",
            "-1", "0", "-0", "1e400", "1E-400", "NaN", "-Infinity", "0x10", "1_000", "١٢٣", "²", " 7 ",
        ]
    ),  # fmt: skip
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.builds(lambda whole, frac: f"{whole}.{frac}", st.integers(0, 10**25), st.integers(0, 10**25)),
)
INDONESIAN = st.one_of(
    st.integers(0, 10**15).map(lambda n: f"{n:,}".replace(",", ".")),  # 1.234.567
    st.builds(lambda n, d: f"{n:,}".replace(",", ".") + f",{d:02d}", st.integers(0, 10**12), st.integers(0, 99)),
    st.sampled_from(["Rp 1.000.000", "1.000", "12,5", "-3.000,75", "1 000"]),
)
LONG = st.sampled_from(["9" * 5000, "x" * 20_000, "\x00" * 1000, "-" + "1" * 400, "0." + "0" * 300 + "1"])
DATES = st.sampled_from(["0001-01-01", "9999-12-31", "2026-02-30", "31-12-2026", "10000-01-01"])
GARBAGE = st.one_of(TEXT, NUMBERS, INDONESIAN, st.just(""), LONG, DATES)
