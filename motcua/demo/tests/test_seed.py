import pytest
from django.contrib.auth import authenticate
from vietnam_provinces import ProvinceCode, Ward

from motcua.accounts import access
from motcua.accounts.models import Role, RoleAssignment, Unit, UnitKind, User
from motcua.demo.seed import DEMO_PASSWORD, demo_logins, seed_demo

pytestmark = pytest.mark.django_db


def _snapshot() -> tuple[list[tuple[object, ...]], ...]:
    return (
        list(Unit.objects.order_by("code").values_list()),
        list(User.objects.order_by("username").values_list()),
        list(RoleAssignment.objects.order_by("pk").values_list()),
    )


def test_the_demo_province_has_every_commune_and_ward_with_its_official_code() -> None:
    seed_demo(progress=False)
    expected = {f"{w.code.value:05d}": w.name for w in Ward.iter_by_province(ProvinceCode(38))}
    communes = Unit.objects.filter(kind=UnitKind.COMMUNE)
    assert len(expected) == 166
    assert {u.area_code: u.short_name for u in communes} == expected
    province = Unit.objects.get(kind=UnitKind.PROVINCE)
    assert province.name == "UBND tỉnh Thanh Hóa"
    assert all(u.parent_id == province.pk for u in communes)
    assert Unit.objects.filter(kind=UnitKind.SERVICE_CENTRE).count() == 167  # 166 + provincial
    assert Unit.objects.filter(kind=UnitKind.DEPARTMENT).count() >= 3


def test_seeding_twice_changes_nothing() -> None:
    first = seed_demo(progress=False)
    before = _snapshot()
    second = seed_demo(progress=False)
    assert first.units_created == first.units
    assert second.units_created == 0
    assert second.users_created == 0
    assert _snapshot() == before


def test_every_printed_demo_login_works() -> None:
    seed_demo(progress=False)
    for login in demo_logins():
        assert authenticate(username=login.username, password=login.password), login
        assert login.password == DEMO_PASSWORD


def test_every_officer_role_is_staffed_in_two_communes_and_a_department() -> None:
    seed_demo(progress=False)
    for code in ("H56.14797", "H56.16522", "H56.02"):
        roles = set(RoleAssignment.objects.filter(unit__code=code).values_list("role", flat=True))
        missing = set(Role) - {Role.AUDITOR} - roles if code == "H56.02" else set(Role) - roles
        assert not missing, (code, missing)


def test_demo_dung_cannot_see_commune_a() -> None:
    seed_demo(progress=False)
    dung = User.objects.get(username="dung")
    binh = User.objects.get(username="binh")
    hac_thanh = Unit.objects.get(code="H56.14797")
    assert access.can_see_unit(binh, hac_thanh)
    assert not access.can_see_unit(dung, hac_thanh)


def test_the_merged_former_city_is_kept_as_a_predecessor() -> None:
    seed_demo(progress=False)
    hac_thanh = Unit.objects.get(code="H56.14797")
    former = hac_thanh.predecessors.get()
    assert former.valid_to is not None
    assert not former.is_active


def test_the_demo_has_dossiers_in_every_queue_and_a_second_seed_adds_none() -> None:
    from collections import Counter

    from motcua.dossiers.models import Dossier

    first = seed_demo(progress=False)
    second = seed_demo(progress=False)
    assert (first.dossiers_created, second.dossiers_created) == (9, 0)
    statuses = Counter(Dossier.objects.values_list("status", flat=True))
    assert statuses == {
        "submitted": 2,
        "processing": 2,
        "supplement_requested": 1,
        "result_ready": 1,
        "returned": 2,
        "accepted": 1,
    }
    at_chi = Dossier.objects.get(procedure_version__procedure__code="1.001022")
    assert at_chi.steps.get(status="active").assignee.username == "chi"  # type: ignore[union-attr]


@pytest.mark.django_db
def test_the_demo_signs_results_and_reuses_one_from_the_citizens_store() -> None:
    from motcua.documents.models import Document, StoreItem
    from motcua.dossiers.models import Arrival, DossierComponent

    report = seed_demo(progress=False)
    assert report.certificates_created > 0
    assert Document.objects.filter(form="01", signed_at__isnull=False).exists()
    result = Document.objects.get(
        kind="result", dossier__procedure_version__procedure__code="1.004873"
    )
    assert result.signed_at is not None
    item = StoreItem.objects.get(document=result)
    reused = DossierComponent.objects.get(arrival=Arrival.REUSED)
    assert reused.dossier.procedure_version.procedure.code == "1.000894"
    assert reused.files.get().reused_from == item
