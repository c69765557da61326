"""Forms of the online submission, one per step, generated from the pinned version.

They only collect and check what the citizen typed; the dossier is made by
`dossiers.actions.submit_online` (through `portal.submission_drafts`).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.accounts.identity import validate_identity_number
from motcua.accounts.models import Unit, User, phone_validator
from motcua.catalog.models import Component, Fee, ProcedureVersion
from motcua.documents.models import StoreItem
from motcua.documents.uploads import DossierFileField
from motcua.dossiers.models import ReturnChannel
from motcua.portal.models import DraftUpload
from motcua.portal.submission_drafts import AT_DESK, NOT_GIVEN, REUSE, UPLOAD


class ApplicantForm(forms.Form):
    """Step 1: who submits (pre-filled from the account), where, and for what."""

    name = forms.CharField(label=_("Họ và tên"), max_length=150)
    identity_number = forms.CharField(
        label=_("Số định danh cá nhân"),
        max_length=12,
        validators=[validate_identity_number],
        help_text=_("12 chữ số, in trên thẻ căn cước."),
    )
    date_of_birth = forms.DateField(
        label=_("Ngày sinh"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )
    phone = forms.CharField(
        label=_("Điện thoại di động"),
        max_length=15,
        validators=[phone_validator],
        help_text=_("Để nhận tin nhắn về hồ sơ."),
    )
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    address = forms.CharField(label=_("Địa chỉ thường trú"), max_length=255)
    representative_name = forms.CharField(
        label=_("Người được ủy quyền nộp thay (nếu có)"), max_length=150, required=False
    )
    representative_identity_number = forms.CharField(
        label=_("Số định danh của người được ủy quyền"),
        max_length=12,
        required=False,
        validators=[validate_identity_number],
    )
    competent_unit = forms.TypedChoiceField(
        label=_("Cơ quan giải quyết"), coerce=int, empty_value=None
    )
    variant = forms.TypedChoiceField(
        label=_("Trường hợp"), coerce=int, empty_value=None, required=False
    )
    request_summary = forms.CharField(
        label=_("Nội dung yêu cầu"),
        max_length=500,
        required=False,
        help_text=_("Để trống: tên thủ tục."),
    )

    def __init__(
        self, *args: Any, version: ProcedureVersion, units: list[Unit], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["competent_unit"].choices = [  # type: ignore[attr-defined]
            ("", _("— chọn cơ quan —")),
            *((u.pk, u.name) for u in units),
        ]
        variants = list(version.variants.all())
        if variants:
            self.fields["variant"].choices = [  # type: ignore[attr-defined]
                ("", _("— trường hợp thông thường —")),
                *((v.pk, v.name) for v in variants),
            ]
        else:
            del self.fields["variant"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        name = (data.get("representative_name") or "").strip()
        number = (data.get("representative_identity_number") or "").strip()
        if number and not name and "representative_name" not in self.errors:
            self.add_error("representative_name", _("Nhập họ tên người được ủy quyền."))
        if name and not number and "representative_identity_number" not in self.errors:
            self.add_error(
                "representative_identity_number",
                _("Nhập số định danh của người được ủy quyền."),
            )
        return data


def applicant_initial(user: User, version: ProcedureVersion, units: list[Unit]) -> dict[str, Any]:
    """Step 1 pre-filled from the citizen's account."""
    return {
        "name": user.get_full_name(),
        "identity_number": user.identity_number or "",
        "date_of_birth": user.date_of_birth.isoformat() if user.date_of_birth else "",
        "phone": user.phone,
        "email": user.email,
        "address": user.address,
        "competent_unit": str(units[0].pk) if len(units) == 1 else "",
    }


class ComponentForm(forms.Form):
    """Step 2, one paper of the procedure: upload it, take it from the citizen's document
    store, or show the original at the desk (where the service allows), or — for papers
    that are not required — leave it out."""

    choice = forms.ChoiceField(label=_("Cách nộp"), required=False, widget=forms.RadioSelect)
    file = DossierFileField(label=_("Tệp"), required=False)
    store_item = forms.TypedChoiceField(
        label=_("Giấy tờ trong kho dữ liệu của bạn"),
        coerce=int,
        empty_value=None,
        required=False,
    )
    keep = forms.BooleanField(
        label=_("Lưu tệp này vào kho dữ liệu của tôi khi hồ sơ được tiếp nhận"),
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        component: Component,
        items: list[StoreItem],
        held: DraftUpload | None,
        allow_desk: bool,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("prefix", f"c{component.pk}")
        super().__init__(*args, **kwargs)
        self.component = component
        self.items = items
        self.held = held
        choices: list[tuple[str, Any]] = [(UPLOAD, _("Tải tệp lên"))]
        if items:
            choices.append((REUSE, _("Lấy từ kho dữ liệu của tôi")))
        else:
            del self.fields["store_item"]
        if not component.document_type_id:
            del self.fields["keep"]  # an untyped paper would never be offered again
        if allow_desk:
            choices.append((AT_DESK, _("Sẽ xuất trình bản chính tại bộ phận một cửa")))
        if not component.required:
            choices.append((NOT_GIVEN, _("Không nộp giấy tờ này")))
        self.fields["choice"].choices = choices  # type: ignore[attr-defined]
        if held is not None:
            self.fields["file"].help_text = _(
                "Đã tải lên «%(name)s». Chọn tệp khác nếu muốn thay."
            ) % {"name": held.document.filename}
        if items:
            self.fields["store_item"].choices = [  # type: ignore[attr-defined]
                ("", _("— chọn giấy tờ —")),
                *(
                    (
                        item.pk,
                        _("%(title)s (lưu ngày %(day)s)")
                        % {"title": item.title, "day": f"{item.added_at:%d/%m/%Y}"},
                    )
                    for item in items
                ),
            ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        choice = data.get("choice") or ""
        has_file = data.get("file") is not None or self.held is not None
        if not choice and data.get("file") is not None:
            choice = data["choice"] = UPLOAD
        if not choice and self.component.required:
            self.add_error(
                "choice",
                _("Giấy tờ này là bắt buộc: hãy chọn cách nộp."),
            )
        if choice == UPLOAD and not has_file and "file" not in self.errors:
            self.add_error("file", _("Chọn tệp PDF, JPEG hoặc PNG để tải lên."))
        if choice == REUSE and not data.get("store_item") and "store_item" in self.fields:
            self.add_error("store_item", _("Chọn giấy tờ trong kho dữ liệu."))
        return data

    def stored(self) -> dict[str, Any]:
        """What to keep in the draft (the file itself is held apart)."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        raw_item = self.data.get(self.add_prefix("store_item"), "")
        return {
            "choice": data.get("choice") or self.data.get(self.add_prefix("choice"), ""),
            "store_item": str(data.get("store_item") or raw_item or ""),
            "keep": "on"
            if "keep" in self.fields and self.data.get(self.add_prefix("keep"))
            else "",
        }


PAYMENT_METHODS = (
    ("desk", _("Nộp tại bộ phận một cửa")),
    ("bank_transfer", _("Chuyển khoản ngân hàng theo hướng dẫn của cơ quan")),
    ("online_later", _("Thanh toán trực tuyến khi cơ quan yêu cầu")),
)


def chargeable(fees: list[Fee]) -> bool:
    """Is anything to be paid (a positive amount, or an amount set by a formula)?"""
    return any(
        (f.online_amount if f.online_amount is not None else f.amount or 0) > 0 or f.formula
        for f in fees
    )


class DeliveryForm(forms.Form):
    """Step 3: how the result is received, and how the fees will be paid."""

    return_channel = forms.ChoiceField(
        label=_("Nhận kết quả"), widget=forms.RadioSelect, initial=ReturnChannel.DESK
    )
    return_address = forms.CharField(
        label=_("Địa chỉ nhận kết quả qua bưu chính"), max_length=255, required=False
    )
    payment_method = forms.ChoiceField(
        label=_("Cách nộp phí, lệ phí"), widget=forms.RadioSelect, choices=PAYMENT_METHODS
    )

    def __init__(self, *args: Any, version: ProcedureVersion, fees: list[Fee], **kwargs: Any):
        super().__init__(*args, **kwargs)
        channels = [(ReturnChannel.DESK.value, ReturnChannel.DESK.label)]
        if version.postal_allowed:
            channels.append((ReturnChannel.POST.value, ReturnChannel.POST.label))
        if version.result_electronic:
            channels.append(
                (ReturnChannel.ONLINE.value, _("Trực tuyến (bản điện tử trong tài khoản này)"))
            )
        self.fields["return_channel"].choices = channels  # type: ignore[attr-defined]
        if not chargeable(fees):
            del self.fields["payment_method"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("return_channel") == ReturnChannel.POST
            and not (data.get("return_address") or "").strip()
        ):
            self.add_error("return_address", _("Nhập địa chỉ để gửi kết quả qua bưu chính."))
        return data
