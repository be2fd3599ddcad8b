"""NHS numbers: the Modulus 11 check, 3-3-4 formatting and the 999 test range for fake data."""

from __future__ import annotations

import random
import re

from physioline.errors import InvalidNhsNumber

_WEIGHTS = (10, 9, 8, 7, 6, 5, 4, 3, 2)


def check_digit(first_nine: str) -> int | None:
    """The Modulus 11 check digit for nine digits, or None when no valid number exists (10)."""
    total = sum(int(d) * w for d, w in zip(first_nine, _WEIGHTS, strict=True))
    digit = 11 - total % 11
    if digit == 11:
        return 0
    if digit == 10:
        return None
    return digit


def normalise(text: str) -> str:
    """Strip spaces and hyphens, as a number is typed or read out: '999 000 0018' → '9990000018'."""
    return re.sub(r"[\s-]", "", text)


def is_valid(text: str) -> bool:
    """True when ``text`` (spaces, hyphens allowed) is 10 digits passing the Modulus 11 check."""
    digits = normalise(text)
    if len(digits) != 10 or not digits.isascii() or not digits.isdigit():
        return False
    return check_digit(digits[:9]) == int(digits[9])


def validate(text: str) -> str:
    """Return the 10 digits of a valid NHS number.

    Raises:
        InvalidNhsNumber: not 10 digits, or the check digit is wrong.
    """
    digits = normalise(text)
    if len(digits) != 10 or not digits.isascii() or not digits.isdigit():
        raise InvalidNhsNumber(
            f"'{text}' is not an NHS number: it needs exactly 10 digits.",
            "Check the number with the patient or the referral letter.",
        )
    if check_digit(digits[:9]) != int(digits[9]):
        raise InvalidNhsNumber(
            f"{format_nhs_number(digits)} is not a valid NHS number (its check digit is wrong).",
            "A digit was probably misheard or mistyped; read it back to the patient.",
        )
    return digits


def format_nhs_number(digits: str) -> str:
    """Format 10 digits as 3-3-4 ('999 000 0018'), the way NHS staff read them."""
    d = normalise(digits)
    return f"{d[:3]} {d[3:6]} {d[6:]}" if len(d) == 10 else d


def fake_nhs_number(rng: random.Random) -> str:
    """A valid NHS number from the 999 test range, never issued to a real patient."""
    while True:
        first_nine = "999" + "".join(str(rng.randrange(10)) for _ in range(6))
        digit = check_digit(first_nine)
        if digit is not None:
            return first_nine + str(digit)
