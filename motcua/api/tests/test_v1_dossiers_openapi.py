"""The OpenAPI description lists the dossier endpoints with their parameters and answers."""

from django.test import Client

from motcua.dossiers import access


def test_the_schema_describes_every_dossier_endpoint() -> None:
    schema = Client().get("/api/openapi.json").json()
    paths = schema["paths"]
    assert set(paths["/api/v1/dossiers"]) == {"get", "post"}
    assert set(paths["/api/v1/dossiers/{code}"]) == {"get"}
    assert set(paths["/api/v1/dossiers/{code}/actions/{name}"]) == {"post"}

    submit = paths["/api/v1/dossiers"]["post"]
    assert {"200", "201", "401", "403", "422"} <= set(submit["responses"])
    headers = [p["name"] for p in submit["parameters"] if p["in"] == "header"]
    assert headers == ["Idempotency-Key"]
    assert submit["security"] == [{"DjangoSession": []}]

    listing = paths["/api/v1/dossiers"]["get"]
    query = {p["name"] for p in listing["parameters"] if p["in"] == "query"}
    assert query == {"unit", "status", "overdue", "cursor", "limit"}

    action = paths["/api/v1/dossiers/{code}/actions/{name}"]["post"]
    assert {"200", "403", "404", "409", "422"} <= set(action["responses"])
    name = next(p for p in action["parameters"] if p["name"] == "name")
    assert name["schema"]["enum"] == list(access.RULES)

    components = schema["components"]["schemas"]
    assert "allowed_actions" in components["DossierOut"]["properties"]
    assert "next_cursor" in components["DossierPageOut"]["properties"]
    assert schema["components"]["securitySchemes"]["DjangoSession"]["in"] == "cookie"
