"""Two ratings of the same dossier at the same moment (a double click, two devices): one
row, and both requests answer with it. Real threads with their own connections."""

from __future__ import annotations

import pytest

from motcua.dossiers import actions
from motcua.feedback.actions import rate_dossier
from motcua.feedback.models import Rating, RatingAnswer, RatingQuestion
from motcua.testing.dossiers import desk_dossier, make_process_procedure
from motcua.testing.personas import build_personas
from motcua.testing.threads import run_together

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_ratings_at_once_make_exactly_one_row_and_both_get_it() -> None:
    p = build_personas()
    if not RatingQuestion.objects.exists():  # transactional tests flush the seeded rows
        RatingQuestion.objects.create(aspect="Tiếp cận dịch vụ", text="?", position=1)
    dossier = desk_dossier(p, make_process_procedure())
    actions.forward(dossier.pk, actor=p.binh)
    actions.forward(dossier.pk, actor=p.giang, assignee_id=p.chi.pk)
    actions.forward(dossier.pk, actor=p.chi)
    actions.forward(dossier.pk, actor=p.hung, result_summary="Giấy xác nhận")
    actions.return_result(dossier.pk, actor=p.binh)
    answers = {q.pk: 5 for q in RatingQuestion.objects.filter(active=True)}
    results = run_together(
        *(
            (lambda level=level: rate_dossier(dossier.pk, level=level, answers=answers))
            for level in (5, 1, 3)
        )
    )
    assert all(isinstance(r, tuple) for r in results), results
    assert len({rating.pk for rating, _created in results}) == 1
    assert sum(created for _rating, created in results) == 1
    assert Rating.objects.filter(dossier=dossier).count() == 1
    assert RatingAnswer.objects.count() == len(answers)
