from hypothesis import given
from hypothesis import strategies as st

from kneecoach.domain.digits import ascii_digits


def test_the_digits_zero_to_nine_make_a_whole_number() -> None:
    assert ascii_digits("0")
    assert ascii_digits("15000")


def test_digits_of_other_scripts_signs_and_separators_are_refused() -> None:
    for text in ("", "²", "٣", "１２", "1_0", " 1", "+1", "-1", "1.0", "1e3"):
        assert not ascii_digits(text), text


@given(st.text())
def test_text_accepted_is_read_by_int_as_the_number_written(text: str) -> None:
    if ascii_digits(text):
        assert int(text) == int(text.lstrip("0") or "0")
        assert str(int(text)).zfill(len(text)) == text


@given(st.integers(min_value=0))
def test_every_whole_number_written_out_is_accepted(number: int) -> None:
    assert ascii_digits(str(number))
