import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from motcua.accounts.models import Unit, UnitKind
from motcua.testing.builders import make_unit

pytestmark = pytest.mark.django_db


def test_a_new_unit_records_the_path_of_its_ancestors() -> None:
    province = make_unit("Tỉnh", kind=UnitKind.PROVINCE)
    commune = make_unit("Xã", parent=province)
    office = make_unit("Bộ phận một cửa", kind=UnitKind.RECEPTION_POINT, parent=commune)
    assert office.path == f"/{province.pk}/{commune.pk}/{office.pk}/"
    assert office.ancestor_ids == [province.pk, commune.pk, office.pk]
    office.refresh_from_db()
    assert office.path == f"/{province.pk}/{commune.pk}/{office.pk}/"


def test_the_subtree_holds_every_level_below_and_nothing_beside() -> None:
    province = make_unit("Tỉnh", kind=UnitKind.PROVINCE)
    a = make_unit("Xã A", parent=province)
    a_office = make_unit("Phòng của xã A", kind=UnitKind.OFFICE, parent=a)
    a_point = make_unit("Điểm tiếp nhận", kind=UnitKind.RECEPTION_POINT, parent=a_office)
    b = make_unit("Xã B", parent=province)
    assert set(a.subtree()) == {a, a_office, a_point}
    assert set(province.subtree()) == {province, a, a_office, a_point, b}


def test_moving_a_unit_moves_everything_below_it() -> None:
    province = make_unit("Tỉnh", kind=UnitKind.PROVINCE)
    a = make_unit("Xã A", parent=province)
    b = make_unit("Xã B", parent=province)
    office = make_unit("Phòng", kind=UnitKind.OFFICE, parent=a)
    point = make_unit("Điểm", kind=UnitKind.RECEPTION_POINT, parent=office)
    office.parent = b
    office.save()
    point.refresh_from_db()
    assert point.path == f"/{province.pk}/{b.pk}/{office.pk}/{point.pk}/"
    assert set(b.subtree()) == {b, office, point}
    assert set(a.subtree()) == {a}


def test_a_unit_cannot_be_placed_under_its_own_descendant() -> None:
    province = make_unit("Tỉnh", kind=UnitKind.PROVINCE)
    commune = make_unit("Xã", parent=province)
    province.parent = commune
    with pytest.raises(ValidationError) as excinfo:
        province.full_clean()
    assert "đơn vị cấp dưới" in excinfo.value.message_dict["parent"][0]


def test_an_identifier_with_lowercase_letters_is_refused() -> None:
    unit = Unit(name="Xã", kind=UnitKind.COMMUNE, code="h56.01")
    with pytest.raises(ValidationError) as excinfo:
        unit.full_clean()
    assert "Mã định danh điện tử" in excinfo.value.message_dict["code"][0]


def test_valid_to_must_come_after_valid_from() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        make_unit("Xã", valid_from=dt.date(2025, 7, 1), valid_to=dt.date(2025, 1, 1))


def test_a_merged_unit_keeps_its_dates_and_shows_its_successor() -> None:
    old = make_unit("Thành phố (cấp huyện)", kind=UnitKind.OTHER, valid_to=dt.date(2025, 7, 1))
    new = make_unit("Phường mới", valid_from=dt.date(2025, 7, 1))
    new.predecessors.add(old)
    assert old.is_active_on(dt.date(2025, 6, 30))
    assert not old.is_active_on(dt.date(2025, 7, 1))
    assert old.current_successors() == [new]
    assert list(new.predecessors.all()) == [old]
