import pytest
from django.core.exceptions import ValidationError

from motcua.accounts.identity import parse_identity_number
from motcua.accounts.models import User


def test_a_twelve_digit_number_tells_birth_place_year_and_sex() -> None:
    info = parse_identity_number("038195004567")
    assert info.place_code == "038"
    assert info.birth_year == 1995
    assert info.female is True


def test_the_century_digit_moves_the_birth_year_into_the_2000s() -> None:
    info = parse_identity_number("001203000001")
    assert info.birth_year == 2003
    assert info.female is False


@pytest.mark.parametrize(
    "value", ["03809000123", "0380900012345", "03809000123A", "", " 38090001234"]
)
def test_anything_but_twelve_digits_is_refused_in_vietnamese(value: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        parse_identity_number(value)
    assert excinfo.value.messages == ["Số định danh cá nhân phải gồm đúng 12 chữ số."]


def test_a_zero_place_code_is_refused() -> None:
    with pytest.raises(ValidationError, match="mã nơi đăng ký khai sinh"):
        parse_identity_number("000090001234")


@pytest.mark.django_db
def test_the_user_model_validates_the_identity_number() -> None:
    user = User(username="x", identity_number="12345")
    with pytest.raises(ValidationError) as excinfo:
        user.full_clean()
    assert "identity_number" in excinfo.value.message_dict
