"""ID numbers: the GB 11643 check digit and masking."""

from events.identity import check_digit, is_valid_id_number, mask_id_number


def test_a_known_id_number_has_a_valid_check_digit() -> None:
    assert check_digit("11010519491231002") == "X"
    assert is_valid_id_number("11010519491231002X")
    assert is_valid_id_number("11010519491231002x")


def test_a_wrong_check_digit_or_shape_is_invalid() -> None:
    assert not is_valid_id_number("110105194912310021")
    assert not is_valid_id_number("11010519491231002")
    assert not is_valid_id_number("1101051949123100AX")


def test_a_masked_id_number_keeps_only_the_region_and_the_last_two_characters() -> None:
    assert mask_id_number("11010519491231002X") == "110105**********2X"
