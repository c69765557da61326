"""The demo catalogue (motcua/catalog/demo): real procedures, valid processes, sample forms."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import docx
import pytest
from django.core.files.storage import default_storage
from django.db.models import F
from django.test import override_settings

from motcua.accounts.models import Role, UnitKind
from motcua.catalog.demo import demo_catalog_data, load_demo_catalog
from motcua.catalog.demo.forms import generate_forms, load_specs, render
from motcua.catalog.interchange import export_catalog
from motcua.catalog.models import (
    AuthorityLevel,
    Component,
    DocumentType,
    Fee,
    Field,
    OnlineMode,
    Procedure,
    ProcedureVersion,
    Step,
    TimeUnit,
    Variant,
    VersionStatus,
)
from motcua.catalog.versions import diff_versions, publication_problems
from motcua.demo.seed import seed_demo

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(tmp_path: Path) -> Iterator[Path]:
    """Every test starts with an empty file storage of its own."""
    with override_settings(MEDIA_ROOT=str(tmp_path / "media")):
        yield tmp_path / "media"


def _current() -> list[ProcedureVersion]:
    versions = [p.current_version() for p in Procedure.objects.published()]
    return [v for v in versions if v is not None]


def _snapshot() -> list[list[tuple[Any, ...]]]:
    models = (Field, DocumentType, Procedure, ProcedureVersion, Component, Fee, Variant, Step)
    return [list(model.objects.order_by("pk").values_list()) for model in models]


def _docx_text(path: str) -> str:
    with default_storage.open(path, "rb") as fh:
        document = docx.Document(io.BytesIO(fh.read()))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_the_demo_catalogue_spans_twenty_procedures_six_fields_both_levels_and_kinds() -> None:
    load_demo_catalog(progress=False)
    current = _current()
    assert len(current) >= 20
    assert len({v.field.code for v in current}) >= 6
    levels = {v.authority_level for v in current}
    assert {AuthorityLevel.COMMUNE, AuthorityLevel.PROVINCE} <= levels
    units = {v.time_limit_unit for v in current}
    assert TimeUnit.SAME_DAY in units
    assert any(
        v.time_limit_unit == TimeUnit.WORKING_DAYS and v.time_limit_value > 1 for v in current
    )
    modes = {v.online_mode for v in current}
    assert {OnlineMode.FULL, OnlineMode.PARTIAL} <= modes
    assert any(v.postal_allowed for v in current)
    assert any(not v.postal_allowed for v in current)
    assert any(v.non_boundary for v in current)
    assert any(not v.non_boundary for v in current)
    assert any(v.variants.exists() for v in current)
    assert any(v.online_time_limit_value is not None for v in current)
    fees = Fee.objects.filter(version__in=current)
    assert fees.filter(amount__gt=0).exists()
    assert fees.filter(amount__isnull=True).exclude(formula="").exists()
    assert fees.exclude(exemptions="").exists()
    assert fees.filter(online_amount__lt=F("amount")).exists()


def test_every_published_version_passes_the_publication_rules() -> None:
    load_demo_catalog(progress=False)
    published = ProcedureVersion.objects.filter(status=VersionStatus.PUBLISHED)
    assert published.count() == sum(len(p["versions"]) for p in demo_catalog_data()["procedures"])
    problems = {str(v): publication_problems(v) for v in published}
    assert {k: p for k, p in problems.items() if p} == {}


def test_every_counted_step_budget_adds_up_to_the_time_limit_and_the_return_is_last() -> None:
    load_demo_catalog(progress=False)
    for version in ProcedureVersion.objects.all():
        steps = list(version.steps.order_by("position"))
        counted = [s for s in steps if s.counted]
        total = sum((s.budget_hours for s in counted), Decimal(0))
        if version.time_limit_unit == TimeUnit.CALENDAR_DAYS:
            # Working hours inside a limit in calendar days: never more than the days × 8 h.
            assert 0 < total <= version.time_limit_hours, version
        else:
            assert total == version.time_limit_hours, version
        online_limit = version.online_time_limit_hours
        if online_limit is not None:
            online = [s.online_budget_hours for s in counted]
            assert None not in online, version
            assert sum((h for h in online if h is not None), Decimal(0)) == online_limit, version
        last = steps[-1]
        assert not last.counted, version
        assert last.role == Role.RECEPTION, version
        assert [s for s in steps if not s.counted] == [last], version
        assert steps[0].role == Role.RECEPTION, version


def test_internal_processes_follow_the_published_examples_with_an_inter_agency_step() -> None:
    load_demo_catalog(progress=False)
    current = _current()
    roles = {s.role for v in current for s in v.steps.all()}
    assert {
        Role.RECEPTION,
        Role.HEAD_OF_OFFICE,
        Role.SPECIALIST,
        Role.SIGNING_LEADER,
        Role.REGISTRY,
    } <= roles
    assert Step.objects.filter(
        version__in=current, role=Role.RECEPTION, unit_kind=UnitKind.SERVICE_CENTRE, position=1
    ).exists()
    bundle = next(v for v in current if v.name.startswith("Liên thông"))
    kinds = [s.unit_kind for s in bundle.steps.filter(counted=True)]
    assert UnitKind.COMMUNE in kinds
    assert UnitKind.VERTICAL_AGENCY in kinds
    assert bundle.variants.get().time_limit_value == 5


def test_every_sample_form_is_a_docx_holding_its_title_with_vietnamese_diacritics(
    media: Path,
) -> None:
    load_demo_catalog(progress=False)
    specs = {s.path: s for s in load_specs()}
    named = set(Component.objects.exclude(sample_form="").values_list("sample_form", flat=True))
    assert named == set(specs)
    assert len(named) >= 15
    for path in sorted(named):
        assert (media / path).is_file(), path
        text = _docx_text(path)
        spec = specs[path]
        assert spec.title in text, path
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
        assert "Độc lập - Tự do - Hạnh phúc" in text
        assert "(Ký, ghi rõ họ tên)" in text
        for part in spec.sections:
            for label in part.fields:
                assert label in text, (path, label)
    birth = _docx_text("catalog/forms/1.001193-to-khai-dang-ky-khai-sinh.docx")
    assert "TỜ KHAI ĐĂNG KÝ KHAI SINH" in birth
    assert "Người yêu cầu" in birth


def test_loading_twice_changes_nothing_in_the_database_or_the_file_storage(media: Path) -> None:
    first = load_demo_catalog(progress=False)
    files = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in media.rglob("*.docx")}
    before = _snapshot()
    second = load_demo_catalog(progress=False)
    assert first.created == first.procedures_created + 1  # one procedure has two versions
    assert second.created == second.replaced == second.procedures_created == 0
    assert second.skipped == first.created
    assert _snapshot() == before
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in media.rglob("*.docx")} == files


def test_a_changed_form_file_is_rewritten_and_identical_ones_are_kept(media: Path) -> None:
    assert generate_forms().created == len(load_specs())
    spec = load_specs()[0]
    (media / spec.path).write_bytes(b"not a word document")
    report = generate_forms()
    assert (report.created, report.updated, report.unchanged) == (0, 1, len(load_specs()) - 1)
    assert (media / spec.path).read_bytes() == render(spec)


def test_the_catalogue_file_is_exactly_what_export_writes_after_loading_it() -> None:
    load_demo_catalog(progress=False)
    assert export_catalog() == demo_catalog_data()


def test_birth_registration_has_its_components_fees_and_steps() -> None:
    load_demo_catalog(progress=False)
    procedure = Procedure.objects.get(code="1.001193")
    version = procedure.current_version()
    assert version is not None
    assert version.name == "Đăng ký khai sinh"
    assert version.field.name == "Hộ tịch"
    assert version.authority_level == AuthorityLevel.COMMUNE
    assert version.time_limit_unit == TimeUnit.SAME_DAY
    assert version.online_mode == OnlineMode.FULL
    assert "Luật Hộ tịch" in version.legal_basis
    assert "Thanh Hóa" in version.publication_decision
    components = list(version.components.order_by("position"))
    assert components[0].sample_form.name == (
        "catalog/forms/1.001193-to-khai-dang-ky-khai-sinh.docx"
    )
    assert components[0].required
    types = {c.document_type.code for c in components if c.document_type}
    assert {"giay_chung_sinh", "can_cuoc"} <= types
    fee = version.fees.get(kind="fee")
    assert fee.amount == 0
    assert "đúng hạn" in fee.exemptions
    steps = list(version.steps.order_by("position"))
    assert [s.role for s in steps] == [
        Role.RECEPTION,
        Role.HEAD_OF_OFFICE,
        Role.SPECIALIST,
        Role.HEAD_OF_OFFICE,
        Role.SIGNING_LEADER,
        Role.REGISTRY,
        Role.RECEPTION,
    ]
    assert sum(s.budget_hours for s in steps if s.counted) == 8
    assert steps[0].unit_kind == UnitKind.SERVICE_CENTRE


def test_the_marital_status_certificate_changes_its_fee_and_components_on_1_january_2026() -> None:
    load_demo_catalog(progress=False)
    procedure = Procedure.objects.get(code="1.004873")
    old = procedure.version_on(dt.date(2025, 12, 31))
    new = procedure.version_on(dt.date(2026, 1, 1))
    assert old is not None
    assert new is not None
    assert (old.number, new.number) == (1, 2)
    assert old.effective_to == dt.date(2026, 1, 1)
    assert new.effective_to is None
    assert old.fees.get().online_amount == 15000
    assert new.fees.get().online_amount == 7500
    labels = {change.label for change in diff_versions(old, new)}
    assert {"Thành phần hồ sơ", "quyết định công bố", "ngày công bố"} <= labels


def test_seeding_the_demo_loads_the_catalogue_once_and_reports_it() -> None:
    first = seed_demo(progress=False)
    before = _snapshot()
    second = seed_demo(progress=False)
    count = len(demo_catalog_data()["procedures"])
    assert (first.procedures, first.procedures_created) == (count, count)
    assert (second.procedures, second.procedures_created) == (count, 0)
    assert f"{count} thủ tục hành chính (0 mới)" in second.summary()
    assert "347 đơn vị (0 mới)" in second.summary()
    assert _snapshot() == before


def test_results_are_typed_papers_that_later_procedures_ask_for() -> None:
    load_demo_catalog(progress=False)
    current = _current()
    made = {
        v.procedure.code: v.result_document_type.code for v in current if v.result_document_type
    }
    asked = set(
        Component.objects.filter(version__in=current, document_type__isnull=False).values_list(
            "version__procedure__code", "document_type__code"
        )
    )
    chains = {(made[a], b) for a in made for b, t in asked if t == made[a]}
    assert {
        ("giay_xac_nhan_tthn", "1.000894"),  # marital status → marriage
        ("giay_chung_nhan_ket_hon", "1.001193"),  # marriage → birth of a child
        ("giay_khai_sinh", "1.004859"),  # birth → civil-status correction
        ("phieu_lltp", "2.001263"),  # criminal record → adoption
        ("trich_luc_khai_tu", "1.004873"),  # death of a spouse → marital status
        ("giay_chung_nhan_qsdd", "1.009794"),  # land certificate → building permit
    } <= chains
    assert made["1.000656"] == "trich_luc_khai_tu"
    assert made["1.004873"] == "giay_xac_nhan_tthn"
    types = dict(DocumentType.objects.values_list("code", "valid_days"))
    assert types["giay_xac_nhan_tthn"] == 180
    assert types["phieu_lltp"] == 180
    assert types["giay_khai_sinh"] is None
    # Every version of a procedure names the same type of result.
    for procedure in Procedure.objects.all():
        assert procedure.versions.values("result_document_type").distinct().count() == 1
