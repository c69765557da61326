"""Rating the service: after the result is returned, once per dossier, linked to the
officers who handled it; from the citizen's page or by code and secret without login."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.urls import reverse

from motcua.dossiers import actions
from motcua.dossiers.errors import ActionRefused
from motcua.dossiers.models import Dossier
from motcua.feedback.actions import rate_dossier
from motcua.feedback.models import Rating, RatingChannel, RatingLevel, RatingQuestion
from motcua.testing.base import PersonaTestCase
from motcua.testing.dossiers import desk_dossier, make_process_procedure


class RatingTestCase(PersonaTestCase):
    def setUp(self) -> None:
        cache.clear()
        self.version = make_process_procedure()
        self.dossier = desk_dossier(self.p, self.version)

    def finish(self, *, return_it: bool = True) -> None:
        actions.forward(self.dossier.pk, actor=self.p.binh)
        actions.forward(self.dossier.pk, actor=self.p.giang, assignee_id=self.p.chi.pk)
        actions.forward(self.dossier.pk, actor=self.p.chi, note="Hồ sơ hợp lệ")
        actions.forward(self.dossier.pk, actor=self.p.hung, result_summary="Giấy xác nhận số 12")
        if return_it:
            actions.return_result(self.dossier.pk, actor=self.p.binh)

    def answers(self, level: int = 4) -> dict[int, int]:
        return {q.pk: level for q in RatingQuestion.objects.filter(active=True)}

    def post_data(self, level: int = 5, **extra: str) -> dict[str, Any]:
        data: dict[str, Any] = {"level": str(level), "comment": "Cán bộ hướng dẫn tận tình"}
        data.update({f"q{q}": "4" for q in self.answers()})
        data.update(extra)
        return data


class QuestionTests(RatingTestCase):
    def test_the_five_sipas_aspects_are_seeded_in_order(self) -> None:
        aspects = list(RatingQuestion.objects.values_list("aspect", flat=True))
        assert aspects == [
            "Tiếp cận dịch vụ",
            "Thủ tục hành chính",
            "Công chức giải quyết",
            "Kết quả giải quyết",
            "Tiếp nhận, xử lý góp ý",
        ]
        assert RatingQuestion.objects.filter(active=True).count() == 5

    def test_the_levels_are_the_five_vietnamese_labels(self) -> None:
        assert [str(label) for _value, label in RatingLevel.choices] == [
            "Rất hài lòng",
            "Hài lòng",
            "Bình thường",
            "Không hài lòng",
            "Rất không hài lòng",
        ]


class RateActionTests(RatingTestCase):
    def test_rating_is_refused_before_the_result_is_returned(self) -> None:
        with pytest.raises(ActionRefused, match="sau khi hồ sơ đã được trả kết quả"):
            rate_dossier(self.dossier.pk, level=5, answers=self.answers(), rated_by=self.p.an)
        self.finish(return_it=False)  # result ready, not yet returned
        with pytest.raises(ActionRefused):
            rate_dossier(self.dossier.pk, level=5, answers=self.answers(), rated_by=self.p.an)
        assert not Rating.objects.exists()

    def test_a_rating_after_return_is_linked_to_the_officers_who_handled_the_dossier(
        self,
    ) -> None:
        self.finish()
        rating, created = rate_dossier(
            self.dossier.pk, level=4, answers=self.answers(5), comment=" Tốt ", rated_by=self.p.an
        )
        assert created
        assert (rating.level, rating.comment, rating.channel) == (4, "Tốt", RatingChannel.PORTAL)
        assert rating.get_level_display() == "Hài lòng"
        assert rating.answers.count() == 5
        assert set(rating.answers.values_list("level", flat=True)) == {5}
        officers = {self.p.binh, self.p.giang, self.p.chi, self.p.hung}
        assert set(rating.officers.all()) == officers
        assert self.p.an not in rating.officers.all()
        assert list(self.p.chi.ratings_received.all()) == [rating]
        assert not self.p.dung.ratings_received.exists()

    def test_a_second_rating_returns_the_first_and_never_makes_a_second_row(self) -> None:
        self.finish()
        first, _ = rate_dossier(self.dossier.pk, level=5, answers=self.answers(), rated_by=None)
        again, created = rate_dossier(self.dossier.pk, level=1, answers=self.answers(1))
        assert not created
        assert again.pk == first.pk
        assert again.level == 5
        assert Rating.objects.filter(dossier=self.dossier).count() == 1

    def test_every_active_question_needs_an_answer_and_levels_are_one_to_five(self) -> None:
        self.finish()
        partial = dict(list(self.answers().items())[:3])
        with pytest.raises(ActionRefused, match="tất cả các câu hỏi"):
            rate_dossier(self.dossier.pk, level=5, answers=partial)
        with pytest.raises(ActionRefused, match="từ 1 đến 5"):
            rate_dossier(self.dossier.pk, level=6, answers=self.answers())
        with pytest.raises(ActionRefused, match="từ 1 đến 5"):
            rate_dossier(self.dossier.pk, level=5, answers=self.answers(0))
        assert not Rating.objects.exists()

    def test_a_question_switched_off_is_no_longer_asked(self) -> None:
        self.finish()
        RatingQuestion.objects.filter(position=5).update(active=False)
        rating, _ = rate_dossier(self.dossier.pk, level=3, answers=self.answers())
        assert rating.answers.count() == 4

    def test_another_citizen_cannot_rate(self) -> None:
        self.finish()
        with pytest.raises(ActionRefused):
            rate_dossier(self.dossier.pk, level=1, answers=self.answers(), rated_by=self.p.ha)


class CitizenRatingPageTests(RatingTestCase):
    def url(self) -> str:
        return reverse("my_dossier_rating", args=[self.dossier.pk])

    def test_the_dossier_page_offers_rating_only_after_the_return(self) -> None:
        self.client.force_login(self.p.an)
        detail = reverse("my_dossier", args=[self.dossier.pk])
        assert self.url() not in self.client.get(detail).content.decode()
        body = self.client.get(self.url()).content.decode()
        assert "Bạn có thể đánh giá sau khi hồ sơ đã được trả kết quả." in body
        assert self.client.post(self.url(), self.post_data()).status_code == 400
        self.finish()
        assert self.url() in self.client.get(detail).content.decode()
        assert "Mời đánh giá" in self.client.get(reverse("my_dossiers")).content.decode()

    def test_the_form_has_labelled_radio_groups_and_rating_once_shows_the_rating_after(
        self,
    ) -> None:
        self.finish()
        self.client.force_login(self.p.an)
        body = self.client.get(self.url()).content.decode()
        assert body.count("<fieldset") == 6  # the overall level and five questions
        assert "<legend>Nhìn chung, bạn hài lòng" in body
        assert "Rất không hài lòng" in body
        response = self.client.post(self.url(), self.post_data(level=5))
        assert response.status_code == 302
        rating = Rating.objects.get(dossier=self.dossier)
        assert (rating.level, rating.rated_by, rating.channel) == (5, self.p.an, "portal")
        body = self.client.get(self.url()).content.decode()
        assert "Cảm ơn bạn đã đánh giá." in body
        assert "Hồ sơ này đã được đánh giá lúc" in body
        # A second attempt shows the existing rating and writes nothing.
        again = self.client.post(self.url(), self.post_data(level=1))
        assert again.status_code == 200
        assert "Rất hài lòng" in again.content.decode()
        assert Rating.objects.filter(dossier=self.dossier).count() == 1
        assert Rating.objects.get(dossier=self.dossier).level == 5
        detail = self.client.get(reverse("my_dossier", args=[self.dossier.pk])).content.decode()
        assert "Bạn đã đánh giá «Rất hài lòng»" in detail

    def test_a_missing_answer_is_shown_next_to_its_group_keeping_the_other_choices(self) -> None:
        self.finish()
        self.client.force_login(self.p.an)
        data = self.post_data(level=2)
        first_question = RatingQuestion.objects.first()
        assert first_question is not None
        del data[f"q{first_question.pk}"]
        response = self.client.post(self.url(), data)
        body = response.content.decode()
        assert response.status_code == 400
        assert "Hãy chọn một mức." in body
        assert 'name="level" value="2" id="id_level_3" required checked' in body  # the level kept
        assert "Cán bộ hướng dẫn tận tình" in body
        assert not Rating.objects.exists()

    def test_another_citizen_gets_404_on_the_rating_page_get_and_post(self) -> None:
        self.finish()
        self.client.force_login(self.p.ha)
        assert self.client.get(self.url()).status_code == 404
        assert self.client.post(self.url(), self.post_data()).status_code == 404
        assert not Rating.objects.exists()


class RatingByCodeTests(RatingTestCase):
    def url(self, dossier: Dossier | None = None, secret: str | None = None) -> str:
        d = dossier or self.dossier
        query = urlencode({"ma": d.code, "k": secret or d.lookup_secret})
        return reverse("rate_by_code") + "?" + query

    def test_the_tracking_page_links_to_rating_once_the_result_is_returned(self) -> None:
        track = (
            reverse("track")
            + "?"
            + urlencode({"ma": self.dossier.code, "k": self.dossier.lookup_secret})
        )
        assert "Đánh giá mức độ hài lòng" not in self.client.get(track).content.decode()
        self.finish()
        body = self.client.get(track).content.decode()
        assert "Đánh giá mức độ hài lòng" in body
        assert reverse("rate_by_code") in body

    def test_rating_by_code_and_secret_without_login_works_once(self) -> None:
        self.finish()
        self.dossier.refresh_from_db()
        assert self.client.get(self.url()).status_code == 200
        data = self.post_data(level=3, ma=self.dossier.code, k=self.dossier.lookup_secret)
        response = self.client.post(reverse("rate_by_code"), data)
        assert response.status_code == 302
        rating = Rating.objects.get(dossier=self.dossier)
        assert (rating.level, rating.rated_by, rating.channel) == (3, None, "tracking")
        assert set(rating.officers.all()) == {self.p.binh, self.p.giang, self.p.chi, self.p.hung}
        again = self.client.post(reverse("rate_by_code"), {**data, "level": "1"})
        assert "Hồ sơ này đã được đánh giá" in again.content.decode()
        assert Rating.objects.get(dossier=self.dossier).level == 3
        # The citizen's own page then shows the same rating: one per dossier, both ways.
        self.client.force_login(self.p.an)
        own = self.client.get(reverse("my_dossier_rating", args=[self.dossier.pk]))
        assert "Bình thường" in own.content.decode()

    def test_a_wrong_secret_is_a_404_and_nothing_is_written(self) -> None:
        self.finish()
        assert self.client.get(self.url(secret="ZZZZZZ")).status_code == 404
        data = self.post_data(ma=self.dossier.code, k="ZZZZZZ")
        assert self.client.post(reverse("rate_by_code"), data).status_code == 404
        assert self.client.get(reverse("rate_by_code")).status_code == 404
        assert not Rating.objects.exists()

    def test_rating_by_code_before_the_return_is_refused(self) -> None:
        data = self.post_data(ma=self.dossier.code, k=self.dossier.lookup_secret)
        response = self.client.post(reverse("rate_by_code"), data)
        assert response.status_code == 400
        assert not Rating.objects.exists()

    def test_lookups_count_against_the_tracking_limit(self) -> None:
        for _ in range(20):
            self.client.get(self.url(secret="ZZZZZZ"))
        assert self.client.get(self.url()).status_code == 429


class AdminTests(RatingTestCase):
    def test_the_admin_lists_ratings_and_edits_questions(self) -> None:
        self.finish()
        rate_dossier(self.dossier.pk, level=5, answers=self.answers(), comment="Nhanh")
        admin_user = self.p.thu
        admin_user.is_staff = admin_user.is_superuser = True
        admin_user.save()
        self.client.force_login(admin_user)
        listing = self.client.get(reverse("admin:feedback_rating_changelist"))
        assert listing.status_code == 200
        assert self.dossier.code in listing.content.decode()
        questions = self.client.get(reverse("admin:feedback_ratingquestion_changelist"))
        assert "Tiếp cận dịch vụ" in questions.content.decode()
