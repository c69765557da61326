import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from motcua.catalog.models import Component, Fee, Variant
from motcua.testing.builders import make_procedure

pytestmark = pytest.mark.django_db


@pytest.fixture
def birth() -> None:
    version = make_procedure(
        "1.001193", "Đăng ký khai sinh", unit="same_day", limit="0", steps=("1", "5", "2")
    )
    Fee.objects.filter(version=version).update(exemptions="Đăng ký đúng hạn")
    Variant.objects.create(
        version=version,
        name="Cần xác minh",
        time_limit_value=Decimal(3),
        time_limit_unit="working_days",
    )
    component = Component.objects.get(version=version)
    component.sample_form.save("to-khai.docx", ContentFile(b"PK fake docx"), save=True)
    make_procedure("2.000002", "Đăng ký lại khai sinh")
    make_procedure("1.000656", "Đăng ký khai tử")


@pytest.mark.usefixtures("birth")
def test_searching_without_diacritics_returns_birth_registration_first(client: Client) -> None:
    response = client.get("/api/v1/procedures", {"q": "dang ky khai sinh"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert body["items"][0]["code"] == "1.001193"
    assert body["items"][0]["time_limit"]["unit"] == "same_day"
    assert body["items"][0]["time_limit"]["text"] == (
        "Trong ngày (sau 15 giờ: ngày làm việc tiếp theo)"
    )


@pytest.mark.usefixtures("birth")
def test_the_list_is_paginated(client: Client) -> None:
    for i in range(25):
        make_procedure(f"3.{i:06d}", f"Thủ tục số {i}")
    first = client.get("/api/v1/procedures", {"q": "thu tuc so"}).json()
    second = client.get("/api/v1/procedures", {"q": "thu tuc so", "page": "2"}).json()
    assert first["count"] == 25
    assert len(first["items"]) == 20
    assert len(second["items"]) == 5
    assert {i["code"] for i in first["items"]}.isdisjoint({i["code"] for i in second["items"]})


@pytest.mark.usefixtures("birth")
def test_filters_combine(client: Client) -> None:
    body = client.get(
        "/api/v1/procedures", {"q": "khai", "field": "HO_TICH", "online_mode": "none"}
    ).json()
    assert body["count"] == 0
    body = client.get("/api/v1/procedures", {"q": "khai", "level": "commune"}).json()
    assert body["count"] == 3


@pytest.mark.usefixtures("birth")
def test_the_detail_lists_components_fees_and_steps_whose_budgets_sum_to_the_limit(
    client: Client,
) -> None:
    body = client.get("/api/v1/procedures/1.001193").json()
    assert body["name"] == "Đăng ký khai sinh"
    assert body["current_version"]["number"] == 1
    assert body["current_version"]["effective_from"] == "2025-07-01"
    assert [c["name"] for c in body["components"]] == ["Tờ khai"]
    component = Component.objects.get(version__procedure__code="1.001193")
    assert body["components"][0]["sample_form_url"] == (
        f"http://testserver/thu-tuc/1.001193/mau/{component.pk}/"
    )
    assert body["fees"][0]["exemptions"] == "Đăng ký đúng hạn"
    assert body["variants"][0]["time_limit"]["text"] == "3 ngày làm việc"
    counted = [Decimal(s["budget_hours"]) for s in body["steps"] if s["counted"]]
    assert sum(counted) == Decimal(body["steps_total_hours"]) == Decimal(8)
    assert body["steps"][-1]["counted"] is False


def test_an_unknown_code_is_404(client: Client) -> None:
    assert client.get("/api/v1/procedures/9.999999").status_code == 404


def test_a_procedure_with_only_a_draft_is_404(client: Client) -> None:
    make_procedure("1.000001", "Nháp", publish=False)
    assert client.get("/api/v1/procedures/1.000001").status_code == 404


def test_the_openapi_schema_describes_both_endpoints(client: Client) -> None:
    schema = client.get("/api/openapi.json").json()
    assert "/api/v1/procedures" in schema["paths"]
    assert "/api/v1/procedures/{code}" in schema["paths"]
    params = {p["name"] for p in schema["paths"]["/api/v1/procedures"]["get"]["parameters"]}
    assert {"q", "field", "online_mode", "level", "page"} <= params
    assert client.get("/api/docs").status_code == 200


def test_a_version_not_yet_in_force_is_not_served(client: Client) -> None:
    make_procedure("1.000002", "Tương lai", effective_from=dt.date(2999, 1, 1))
    assert client.get("/api/v1/procedures/1.000002").status_code == 404
    assert client.get("/api/v1/procedures", {"q": "tuong lai"}).json()["count"] == 0
