"""Dossier search: by code, applicant name (with or without accents) or identity number,
only among the dossiers the officer may see."""

from __future__ import annotations

import re

from django.urls import reverse

from motcua.catalog.models import ProcedureVersion
from motcua.dossiers import actions
from motcua.dossiers.models import Dossier
from motcua.testing.base import PersonaTestCase
from motcua.testing.dossiers import desk_dossier, make_process_procedure, submission

from .journeys import at

SEARCH = reverse("backoffice:search")


def found(html: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="/can-bo/ho-so/\d+/">([^<]+)</a>', html)


class SearchTests(PersonaTestCase):
    version: ProcedureVersion
    an_dossier: Dossier
    ha_dossier: Dossier
    b_dossier: Dossier

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        p = cls.p
        cls.version = make_process_procedure()
        with at(0):
            cls.an_dossier = desk_dossier(p, cls.version)
            ha = actions.Applicant(
                name="Trần Thị Hà", identity_number=p.ha.identity_number or "", phone=""
            )
            cls.ha_dossier = actions.receive_at_desk(
                submission(p, cls.version, applicant=ha), officer=p.binh
            )
            cls.b_dossier = actions.receive_at_desk(
                submission(
                    p,
                    cls.version,
                    competent_unit_id=p.commune_b.pk,
                    receiving_centre_id=p.commune_b.pk,
                    applicant=actions.Applicant(name="Nguyễn Văn Ân"),
                ),
                officer=p.dung,
            )

    def search(self, user: object, q: str) -> list[str]:
        self.client.force_login(user)  # type: ignore[arg-type]
        response = self.client.get(SEARCH, {"q": q})
        assert response.status_code == 200
        return found(response.content.decode())

    def test_by_the_whole_code_or_a_part_of_it(self) -> None:
        assert self.search(self.p.binh, self.an_dossier.code) == [self.an_dossier.code]
        suffix = self.ha_dossier.code.rsplit("-", 1)[1]
        assert self.ha_dossier.code in self.search(self.p.binh, f"-{suffix}")

    def test_by_name_without_accents_or_case(self) -> None:
        assert self.search(self.p.binh, "nguyen van an") == [self.an_dossier.code]
        assert self.search(self.p.binh, "TRẦN THỊ HÀ") == [self.ha_dossier.code]
        assert self.search(self.p.binh, "thi ha") == [self.ha_dossier.code]

    def test_by_identity_number(self) -> None:
        assert self.search(self.p.binh, "038195004567") == [self.ha_dossier.code]

    def test_only_within_what_the_officer_may_see(self) -> None:
        # "nguyen van an" also folds "Nguyễn Văn Ân" of commune B: Bình never sees it
        assert self.b_dossier.code not in self.search(self.p.binh, "nguyen van")
        assert self.search(self.p.dung, "nguyen van") == [self.b_dossier.code]
        assert self.search(self.p.dung, self.an_dossier.code) == []
        assert sorted(self.search(self.p.thu, "nguyen van")) == sorted(
            [self.an_dossier.code, self.b_dossier.code]
        )

    def test_an_empty_query_finds_nothing_and_says_how_to_search(self) -> None:
        self.client.force_login(self.p.binh)
        page = self.client.get(SEARCH).content.decode()
        assert found(page) == []
        assert "có dấu hoặc không dấu" in page

    def test_citizens_get_not_found(self) -> None:
        for citizen in (self.p.an, self.p.ha):
            self.client.force_login(citizen)
            assert self.client.get(SEARCH, {"q": "nguyen"}).status_code == 404
