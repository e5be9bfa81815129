"""Resident ID numbers (GB 11643-1999): check-digit validation and masking for lists; names
masked the way lists and ledgers show them (张*明)."""

from __future__ import annotations

import re
from operator import mul

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_SHAPE = re.compile(r"[0-9]{17}[0-9X]")  # ASCII digits only, no trailing newline
id_shape_of_upper = _SHAPE.fullmatch  # on the upper-cased value: a match, or None


_OFFSET = 48 * sum(_WEIGHTS)  # each ASCII digit's code is 48 more than its value


def check_digit(first17: str) -> str:
    """The 18th character GB 11643 assigns to the first 17 digits."""
    if len(first17) != 17 or not first17.isdigit() or not first17.isascii():
        raise ValueError(f"17 ASCII digits expected, not {first17!r}")
    return _CHECK[(sum(map(mul, first17.encode(), _WEIGHTS)) - _OFFSET) % 11]


def is_id_number_shaped(value: str) -> bool:
    """True when value has the shape of an ID number (17 digits and a digit or X), whatever
    its check digit: what a record can carry, and R8.1 then judges."""
    return bool(_SHAPE.fullmatch(value.upper()))


def is_valid_id_number(value: str) -> bool:
    """True when value has 18 characters and the right GB 11643 check digit."""
    value = value.upper()
    return bool(_SHAPE.fullmatch(value)) and check_digit(value[:17]) == value[17]


def mask_id_number(value: str) -> str:
    """Keep the region (6) and the last 2 characters: 110101**********1X."""
    return value[:6] + "*" * (len(value) - 8) + value[-2:] if len(value) > 8 else "*" * len(value)


def mask_name(name: str) -> str:
    """A name as lists and ledgers show it: its first and last characters, the others
    starred (张*明, 欧**娜); a name of two keeps its first (张*), of one none (*)."""
    name = name.strip()
    if len(name) <= 1:
        return "*" * len(name)
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]
