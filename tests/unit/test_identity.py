"""ID numbers: the GB 11643 check digit and masking."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from events.identity import check_digit, is_valid_id_number, mask_id_number

FAST = settings(max_examples=200, deadline=None, database=None)
first17s = st.text(alphabet="0123456789", min_size=17, max_size=17)


def test_a_known_id_number_has_a_valid_check_digit() -> None:
    assert check_digit("11010519491231002") == "X"
    assert is_valid_id_number("11010519491231002X")
    assert is_valid_id_number("11010519491231002x")


def test_the_standards_examples_get_their_check_digits() -> None:
    # GB 11643-1999's own examples: a remainder of 2 gives X, of 9 gives 4.
    assert check_digit("11010519491231002") == "X"
    assert check_digit("44052418800101001") == "4"
    assert is_valid_id_number("440524188001010014")


def test_every_remainder_maps_to_its_character() -> None:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    seen = set()
    for n in range(10**5):
        first17 = f"{n:017d}"
        total = sum(int(d) * w for d, w in zip(first17, weights, strict=True))
        seen.add((total % 11, check_digit(first17)))
        if len(seen) == 11:
            break
    assert dict(seen) == dict(enumerate("10X98765432"))


def test_a_wrong_check_digit_or_shape_is_invalid() -> None:
    assert not is_valid_id_number("110105194912310021")
    assert not is_valid_id_number("11010519491231002")
    assert not is_valid_id_number("1101051949123100AX")


@pytest.mark.parametrize(
    "value",
    [
        "",
        "X",
        "11010519491231002X0",
        "X11010519491231002",
        "1101051949123100 2X",
        " 11010519491231002X",
        "11010519491231002Y",
        "110105194912310X2X",
    ],
)
def test_anything_but_seventeen_digits_and_a_digit_or_x_is_invalid(value: str) -> None:
    assert not is_valid_id_number(value)


@FAST
@given(first17s)
def test_exactly_one_eighteenth_character_completes_any_seventeen_digits(first17: str) -> None:
    valid = [c for c in "0123456789X" if is_valid_id_number(first17 + c)]
    assert valid == [check_digit(first17)]


@FAST
@given(first17s, st.integers(0, 16), st.integers(1, 9))
def test_a_single_mistyped_digit_is_always_detected(first17: str, at: int, shift: int) -> None:
    number = first17 + check_digit(first17)
    typo = str((int(number[at]) + shift) % 10)
    assert not is_valid_id_number(number[:at] + typo + number[at + 1 :])


@FAST
@given(first17s, st.integers(0, 15))
def test_two_swapped_neighbouring_digits_are_always_detected(first17: str, at: int) -> None:
    a, b = first17[at], first17[at + 1]
    swapped = first17[:at] + b + a + first17[at + 2 :]
    if a != b:
        assert not is_valid_id_number(swapped + check_digit(first17))


def test_a_masked_id_number_keeps_only_the_region_and_the_last_two_characters() -> None:
    assert mask_id_number("11010519491231002X") == "110105**********2X"


@FAST
@given(first17s)
def test_a_masked_id_number_hides_the_birth_date_and_sequence(first17: str) -> None:
    number = first17 + check_digit(first17)
    masked = mask_id_number(number)
    assert len(masked) == 18
    assert masked[:6] == number[:6] and masked[-2:] == number[-2:]
    assert masked[6:16] == "*" * 10


@pytest.mark.parametrize("value", ["", "1", "12345678"])
def test_a_value_too_short_to_mask_partially_is_masked_whole(value: str) -> None:
    assert mask_id_number(value) == "*" * len(value)


def test_an_id_number_followed_by_a_newline_is_invalid() -> None:
    assert not is_valid_id_number("11010519491231002X\n")


def test_an_id_number_in_full_width_digits_is_invalid() -> None:
    assert not is_valid_id_number("１１０１０５１９４９１２３１００２X")
