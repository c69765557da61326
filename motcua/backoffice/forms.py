"""Forms of the back office: the reception desk and one small form per dossier action.

Forms only collect and check what the officer typed; the decision and every rule of the
domain stay in `motcua.dossiers.actions`, which the views call with the cleaned data.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from motcua.accounts.identity import validate_identity_number
from motcua.accounts.models import RoleAssignment, Unit, UnitKind, User, phone_validator
from motcua.catalog.models import Component, CopyType, ProcedureVersion
from motcua.documents.uploads import DossierFileField
from motcua.dossiers import access
from motcua.dossiers.models import (
    Channel,
    Dossier,
    DossierStep,
    Exemption,
    ReturnChannel,
    StepKind,
    StepStatus,
)

TAX_CODE = re.compile(r"\d{10}")


def validate_applicant_number(value: str) -> None:
    """A 12-digit personal identity number, or an organisation's 10-digit tax code."""
    if TAX_CODE.fullmatch(value):
        return
    validate_identity_number(value)


def officers_for(role: str, unit: Unit) -> QuerySet[User]:
    """Active officers who may act in `role` at `unit` (a role held at the unit or above)."""
    holders = RoleAssignment.objects.current().filter(role=role, unit_id__in=unit.ancestor_ids)
    return (
        User.objects.filter(is_active=True, pk__in=holders.values("user_id"))
        .order_by("full_name", "username")
        .distinct()
    )


# --- Reception desk ------------------------------------------------------------------------


class ProcedureSearchForm(forms.Form):
    q = forms.CharField(label=_("Tìm thủ tục (tên hoặc mã)"), required=False, max_length=200)


class DeskForm(forms.Form):
    """A new direct or postal dossier: applicant, units, channel, decision."""

    DECISIONS = (
        ("accept", _("Tiếp nhận")),
        ("refuse", _("Từ chối tiếp nhận")),
        ("supplement", _("Yêu cầu bổ sung")),
    )

    version = forms.IntegerField(widget=forms.HiddenInput)
    channel = forms.ChoiceField(
        label=_("Kênh nộp"),
        choices=[(Channel.DIRECT, Channel.DIRECT.label), (Channel.POSTAL, Channel.POSTAL.label)],
        initial=Channel.DIRECT,
        widget=forms.RadioSelect,
    )
    identity_number = forms.CharField(
        label=_("Số định danh cá nhân hoặc mã số thuế"),
        max_length=12,
        required=False,
        validators=[validate_applicant_number],
        help_text=_("12 chữ số (căn cước) hoặc 10 chữ số (mã số thuế của tổ chức)."),
    )
    name = forms.CharField(label=_("Họ và tên người nộp"), max_length=150, required=False)
    phone = forms.CharField(
        label=_("Điện thoại"), max_length=15, required=False, validators=[phone_validator]
    )
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    address = forms.CharField(label=_("Địa chỉ"), max_length=255, required=False)
    representative_name = forms.CharField(
        label=_("Người được ủy quyền nộp (nếu có)"), max_length=150, required=False
    )
    representative_identity_number = forms.CharField(
        label=_("Số định danh người được ủy quyền"),
        max_length=12,
        required=False,
        validators=[validate_applicant_number],
    )
    request_summary = forms.CharField(
        label=_("Nội dung yêu cầu"),
        max_length=500,
        required=False,
        help_text=_("Để trống: tên thủ tục."),
    )
    receiving_centre = forms.ModelChoiceField(
        label=_("Nơi tiếp nhận"), queryset=Unit.objects.none(), empty_label=None
    )
    competent_unit = forms.ModelChoiceField(
        label=_("Cơ quan giải quyết"), queryset=Unit.objects.none(), empty_label=None
    )
    return_channel = forms.ChoiceField(
        label=_("Hình thức nhận kết quả"),
        choices=ReturnChannel.choices,
        initial=ReturnChannel.DESK,
    )
    return_address = forms.CharField(
        label=_("Địa chỉ nhận kết quả qua bưu chính"), max_length=255, required=False
    )
    refuse_reason = forms.CharField(
        label=_("Lý do từ chối"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    missing = forms.CharField(
        label=_("Giấy tờ cần bổ sung, hoàn thiện"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(
        self,
        *args: Any,
        centres: QuerySet[Unit],
        competent_units: QuerySet[Unit],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["receiving_centre"].queryset = centres  # type: ignore[attr-defined]
        self.fields["competent_unit"].queryset = competent_units  # type: ignore[attr-defined]

    def check_decision(self, decision: str) -> None:
        """Errors next to the fields the chosen decision needs (call after is_valid)."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        if decision == "lookup":
            if not data.get("identity_number"):
                self.add_error("identity_number", _("Nhập số định danh để tìm người nộp."))
            return
        if not (data.get("name") or "").strip() and "name" not in self.errors:
            self.add_error("name", _("Nhập họ và tên người nộp hồ sơ."))
        if decision == "refuse" and not (data.get("refuse_reason") or "").strip():
            self.add_error("refuse_reason", _("Ghi rõ lý do từ chối tiếp nhận."))
        if decision == "supplement" and not (data.get("missing") or "").strip():
            self.add_error("missing", _("Ghi rõ giấy tờ cần bổ sung, hoàn thiện."))
        if (
            data.get("return_channel") == ReturnChannel.POST
            and not (data.get("return_address") or "").strip()
        ):
            self.add_error("return_address", _("Nhập địa chỉ để gửi kết quả qua bưu chính."))


class ComponentForm(forms.Form):
    """One paper of the procedure: received or not, copy type and count."""

    component = forms.IntegerField(widget=forms.HiddenInput)
    received = forms.BooleanField(label=_("Đã nhận"), required=False)
    copy_type = forms.ChoiceField(label=_("Loại bản"), choices=CopyType.choices)
    count = forms.IntegerField(label=_("Số lượng"), min_value=1, max_value=99, initial=1)
    scan = DossierFileField(label=_("Bản số hóa (PDF, JPEG, PNG)"), required=False)
    exemption = forms.ChoiceField(
        label=_("Không phải số hóa vì"),
        choices=[("", _("— phải số hóa —")), *Exemption.choices],
        required=False,
    )
    keep = forms.BooleanField(
        label=_("Người nộp đồng ý lưu bản số hóa vào kho dữ liệu"), required=False
    )
    reuse = forms.TypedChoiceField(
        label=_("Lấy từ kho dữ liệu của người nộp"),
        coerce=int,
        empty_value=None,
        choices=[],
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offered: list[Any] = []

    def offer(self, items: list[Any]) -> None:
        """Offer the applicant's stored papers of this component's type for reuse."""
        self.fields["reuse"].choices = [  # type: ignore[attr-defined]
            ("", _("— không —")),
            *(
                (
                    item.pk,
                    _("%(title)s (lưu ngày %(day)s)")
                    % {"title": item.title, "day": f"{item.added_at:%d/%m/%Y}"},
                )
                for item in items
            ),
        ]
        self.offered = items


ComponentFormSet = forms.formset_factory(ComponentForm, extra=0)


def component_initial(version: ProcedureVersion) -> list[dict[str, Any]]:
    return [
        {"component": c.pk, "received": False, "copy_type": c.copy_type, "count": c.count}
        for c in version.components.all()
    ]


def components_by_id(version: ProcedureVersion) -> dict[int, Component]:
    return {c.pk: c for c in version.components.all()}


# --- Dossier actions -----------------------------------------------------------------------


class ActionForm(forms.Form):
    """Every action form carries the version of the dossier the officer was looking at."""

    version = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, dossier: Dossier, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.dossier = dossier
        self.user = user


def _reason(label: Any) -> forms.CharField:
    return forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


def _note(label: Any) -> forms.CharField:
    return forms.CharField(
        label=label, required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class NoInputForm(ActionForm):
    pass


class RefuseForm(ActionForm):
    reason = _reason(_("Lý do từ chối"))


class SupplementForm(ActionForm):
    missing = _reason(_("Giấy tờ cần bổ sung, hoàn thiện"))


class ReceiveSupplementForm(ActionForm):
    note = _note(_("Ghi chú về hồ sơ bổ sung"))


class AssigneeField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


class AssignForm(ActionForm):
    assignee = AssigneeField(label=_("Cán bộ xử lý"), queryset=User.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        step = access.active_step(self.dossier)
        if step is not None:
            self.fields["assignee"].queryset = officers_for(step.role, step.unit)  # type: ignore[attr-defined]


def next_step(dossier: Dossier) -> DossierStep | None:
    """The process step that comes after the active one (None when it is the last)."""
    step = access.active_step(dossier)
    if step is None:
        return None
    return (
        dossier.steps.filter(
            kind=StepKind.PROCESS, status=StepStatus.PENDING, position__gt=step.position
        )
        .select_related("unit")
        .order_by("position", "pk")
        .first()
    )


class ForwardForm(ActionForm):
    note = _note(_("Ý kiến xử lý"))
    assignee = AssigneeField(
        label=_("Chuyển cho cán bộ (không bắt buộc)"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("— Bất kỳ ai giữ vai trò của bước sau —"),
    )
    result_summary = forms.CharField(label=_("Kết quả giải quyết"), max_length=500, required=False)
    result_number = forms.CharField(
        label=_("Số, ký hiệu văn bản kết quả"), max_length=60, required=False
    )
    result_file = DossierFileField(
        label=_("Văn bản kết quả (PDF, sẽ được ký số)"),
        required=False,
        help_text=_(
            "Để trống: thủ tục cấp kết quả điện tử thì hệ thống lập bản điện tử từ kết quả đã ghi."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        following = next_step(self.dossier)
        self.finishing = following is None or not following.counted
        if following is not None and following.counted:
            self.fields["assignee"].queryset = officers_for(following.role, following.unit)  # type: ignore[attr-defined]
            self.fields["assignee"].label = _("Chuyển cho cán bộ của bước «%(step)s»") % {
                "step": following.name
            }
        else:
            del self.fields["assignee"]
        if self.finishing:
            self.fields["result_summary"].required = True
        else:
            del self.fields["result_summary"]
            del self.fields["result_number"]
            del self.fields["result_file"]


class SendBackForm(ActionForm):
    to_position = forms.TypedChoiceField(label=_("Trả về bước"), coerce=int)
    reason = _reason(_("Lý do trả lại"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        step = access.active_step(self.dossier)
        done = (
            self.dossier.steps.filter(
                kind=StepKind.PROCESS,
                status=StepStatus.DONE,
                position__lt=step.position if step else 0,
            )
            .order_by("position")
            .values_list("position", "name")
        )
        self.fields["to_position"].choices = [  # type: ignore[attr-defined]
            (pos, f"{pos}. {name}") for pos, name in dict(done).items()
        ]


class ConsultForm(ActionForm):
    unit = forms.ModelChoiceField(label=_("Đơn vị được lấy ý kiến"), queryset=Unit.objects.none())
    question = _reason(_("Nội dung cần lấy ý kiến, phối hợp"))
    hours = forms.DecimalField(
        label=_("Thời hạn trả lời (giờ làm việc)"),
        min_value=Decimal("0.25"),
        max_value=Decimal(400),
        decimal_places=2,
        initial=8,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = access.units_for_consultation(self.dossier).exclude(
            kind__in=[UnitKind.SERVICE_CENTRE, UnitKind.RECEPTION_POINT]
        )
        self.fields["unit"].queryset = units.order_by("path")  # type: ignore[attr-defined]


class AnswerForm(ActionForm):
    answer = _reason(_("Nội dung trả lời"))


class RequestPaymentForm(ActionForm):
    description = forms.CharField(label=_("Khoản thu"), max_length=255)
    amount = forms.DecimalField(
        label=_("Số tiền (đồng)"),
        min_value=Decimal(1),
        max_digits=14,
        decimal_places=0,
    )


class RecordPaymentForm(ActionForm):
    receipt_number = forms.CharField(label=_("Số biên lai"), max_length=60)


class ReturnForm(ActionForm):
    via = forms.ChoiceField(label=_("Hình thức trả"), choices=ReturnChannel.choices)
    tracking_number = forms.CharField(
        label=_("Số hiệu bưu gửi (khi trả qua bưu chính)"), max_length=40, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["via"].initial = self.dossier.return_channel

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("via") == ReturnChannel.POST
            and not (data.get("tracking_number") or "").strip()
        ):
            self.add_error("tracking_number", _("Trả qua bưu chính phải có số hiệu bưu gửi."))
        return data


class WithdrawForm(ActionForm):
    reason = _reason(_("Lý do rút hồ sơ (theo đề nghị của người nộp)"))


class StopForm(ActionForm):
    reason = _reason(_("Lý do dừng giải quyết"))


class ExtendForm(ActionForm):
    new_due = forms.DateField(
        label=_("Ngày hẹn trả mới"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )
    reason = _reason(_("Lý do gia hạn (phiếu xin lỗi, mẫu 04)"))

    def clean_new_due(self) -> Any:
        value = self.cleaned_data["new_due"]
        if value is None:
            raise ValidationError(_("Chọn ngày hẹn trả mới."))
        return value


ACTION_FORMS: dict[str, type[ActionForm]] = {
    "accept": NoInputForm,
    "refuse": RefuseForm,
    "request_supplement": SupplementForm,
    "receive_supplement": ReceiveSupplementForm,
    "forward": ForwardForm,
    "assign": AssignForm,
    "send_back": SendBackForm,
    "consult": ConsultForm,
    "answer_consultation": AnswerForm,
    "request_payment": RequestPaymentForm,
    "record_payment": RecordPaymentForm,
    "return_result": ReturnForm,
    "withdraw": WithdrawForm,
    "stop": StopForm,
    "extend": ExtendForm,
}


class PeriodForm(forms.Form):
    """A period for the tracking book (form 07): from and to, both included."""

    tu = forms.DateField(label=_("Từ ngày"), widget=forms.DateInput(attrs={"type": "date"}))
    den = forms.DateField(label=_("Đến ngày"), widget=forms.DateInput(attrs={"type": "date"}))
    dinh_dang = forms.ChoiceField(
        label=_("Định dạng"), choices=[("pdf", "PDF"), ("xlsx", "Excel")], initial="pdf"
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("tu"), data.get("den")
        if start and end and end < start:
            self.add_error("den", _("Ngày kết thúc phải sau ngày bắt đầu."))
        if start and end and (end - start).days > 366:
            self.add_error("den", _("Mỗi lần xuất tối đa một năm."))
        return data
