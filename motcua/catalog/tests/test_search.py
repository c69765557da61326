import pytest

from motcua.catalog.folding import fold
from motcua.catalog.search import Filters, search
from motcua.testing.builders import make_procedure

pytestmark = pytest.mark.django_db

BUNDLE = (
    "Liên thông thủ tục hành chính về đăng ký khai sinh, đăng ký thường trú, "
    "cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi"
)


def names(**filters: str) -> list[str]:
    return [v.name for v in search(Filters(**filters))[:]]


@pytest.fixture
def catalogue() -> None:
    make_procedure("1.001193", "Đăng ký khai sinh")
    make_procedure("1.000656", "Đăng ký khai tử")
    make_procedure(
        "2.000001",
        BUNDLE,
    )
    make_procedure("2.000002", "Đăng ký lại khai sinh")
    make_procedure("1.000894", "Đăng ký kết hôn")
    make_procedure(
        "2.000003", "Cho thuê đất", field="Đất đai", level="province", online_mode="partial"
    )
    make_procedure("2.000004", "Miễn, giảm tiền thuế đất", field="Đất đai", level="province")
    make_procedure("2.000635", "Cấp bản sao trích lục hộ tịch", online_mode="none")


def test_folding_removes_case_diacritics_and_folds_d_with_stroke() -> None:
    assert fold("ĐĂNG KÝ Khai Sinh") == "dang ky khai sinh"
    assert fold("  Đường   đất  ") == "duong dat"
    assert fold("Thuế") == fold("thuê") == "thue"


@pytest.mark.usefixtures("catalogue")
@pytest.mark.parametrize(
    "query", ["đăng ký khai sinh", "dang ky khai sinh", "DANG KY KHAI SINH", "Đăng Ký Khai Sinh"]
)
def test_birth_registration_comes_first_however_it_is_typed(query: str) -> None:
    found = names(q=query)
    assert found[0] == "Đăng ký khai sinh"
    # every procedure holding all the words is found, after the exact name
    assert set(found[1:]) == {
        "Đăng ký lại khai sinh",
        BUNDLE,
    }


@pytest.mark.usefixtures("catalogue")
def test_khai_sinh_alone_finds_every_birth_procedure() -> None:
    assert set(names(q="KHAI SINH")) == {
        "Đăng ký khai sinh",
        "Đăng ký lại khai sinh",
        BUNDLE,
    }


@pytest.mark.usefixtures("catalogue")
def test_khai_tu_does_not_find_birth_registration() -> None:
    assert names(q="khai tu") == ["Đăng ký khai tử"]


@pytest.mark.usefixtures("catalogue")
def test_a_query_typed_with_accents_prefers_the_same_accents() -> None:
    # thuê (rent) and thuế (tax) fold to the same letters: both are found, the typed one first.
    assert names(q="thuế đất") == ["Miễn, giảm tiền thuế đất", "Cho thuê đất"]
    assert names(q="thuê đất") == ["Cho thuê đất", "Miễn, giảm tiền thuế đất"]
    assert set(names(q="thue dat")) == {"Cho thuê đất", "Miễn, giảm tiền thuế đất"}


@pytest.mark.usefixtures("catalogue")
def test_a_code_finds_its_procedure_first() -> None:
    assert names(q="1.000656")[0] == "Đăng ký khai tử"


@pytest.mark.usefixtures("catalogue")
def test_filters_narrow_the_results() -> None:
    assert names(field="DAT_DAI") == ["Cho thuê đất", "Miễn, giảm tiền thuế đất"]
    assert names(q="dat", online_mode="partial") == ["Cho thuê đất"]
    assert "Cấp bản sao trích lục hộ tịch" not in names(online_mode="full")
    assert set(names(level="province")) == {"Cho thuê đất", "Miễn, giảm tiền thuế đất"}
    assert len(names(unit_kind="commune")) == 8
    assert names(unit_kind="department") == []


@pytest.mark.usefixtures("catalogue")
def test_nothing_matches_a_word_that_is_nowhere() -> None:
    assert names(q="khai sinh xyzabc") == []


def test_a_draft_or_withdrawn_procedure_is_not_found() -> None:
    make_procedure("1.000001", "Đăng ký khai sinh", publish=False)
    assert names(q="khai sinh") == []
