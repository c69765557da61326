"""The rating form: the overall level and one answer per active question, each a group of
five radio buttons (a fieldset with its legend), and an optional comment."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.feedback.models import RatingLevel, RatingQuestion

CHOOSE_ONE = _("Hãy chọn một mức.")


def _levels(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=RatingLevel.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": CHOOSE_ONE},
    )


class RatingForm(forms.Form):
    def __init__(self, *args: Any, questions: Sequence[RatingQuestion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        self.fields["level"] = _levels(
            str(_("Nhìn chung, bạn hài lòng với việc giải quyết hồ sơ này ở mức nào?"))
        )
        for question in self.questions:
            self.fields[f"q{question.pk}"] = _levels(f"{question.aspect}: {question.text}")
        self.fields["comment"] = forms.CharField(
            label=_("Góp ý thêm (không bắt buộc)"),
            required=False,
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 4}),
        )

    def answers(self) -> dict[int, int]:
        return {q.pk: int(self.cleaned_data[f"q{q.pk}"]) for q in self.questions}
