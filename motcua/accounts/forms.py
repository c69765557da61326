"""Forms for citizens' accounts: registration and login (with lockout)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, BaseUserCreationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from motcua.accounts import lockout
from motcua.accounts.login_names import validate_mobile_phone
from motcua.accounts.models import User

LOCKED = _(
    "Bạn đã nhập sai mật khẩu quá nhiều lần. Tài khoản tạm khóa đăng nhập từ máy này "
    "trong %(minutes)s phút, đến %(until)s. Bạn có thể đặt lại mật khẩu qua thư điện tử."
)


class LockoutMixin:
    """For an AuthenticationForm: refused without checking the password while the account
    is locked for this address; each failure is counted (`accounts.lockout`)."""

    request: HttpRequest | None
    cleaned_data: dict[str, Any]

    def clean(self) -> dict[str, Any]:
        name = self.cleaned_data.get("username")
        if not name or not self.cleaned_data.get("password"):
            return super().clean()  # type: ignore[misc,no-any-return]
        key = lockout.account_key(name)
        address = lockout.client_address(self.request)
        until = lockout.locked_until(key, address)
        if until is not None:
            raise _locked_error(until)
        try:
            cleaned: dict[str, Any] = super().clean()  # type: ignore[misc]
        except ValidationError as error:
            if error.code == "invalid_login":
                until = lockout.record_failure(key, address)
                if until is not None:
                    raise _locked_error(until) from error
            raise
        lockout.clear(key, address)
        return cleaned


def _locked_error(until: dt.datetime) -> ValidationError:
    return ValidationError(
        LOCKED,
        code="locked",
        params={
            "minutes": settings.LOGIN_LOCKOUT_MINUTES,
            "until": formats.time_format(timezone.localtime(until), "H:i"),
        },
    )


class LoginForm(LockoutMixin, AuthenticationForm):
    """Log in with a user name, e-mail address or phone number and a password."""

    username = forms.CharField(
        label=_("Tên đăng nhập, thư điện tử hoặc số điện thoại"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Tên đăng nhập hoặc mật khẩu không đúng. Vui lòng thử lại."),
        "inactive": _("Tài khoản này đã bị khóa."),
    }


class AdminLoginForm(LockoutMixin, AdminAuthenticationForm):
    """The admin's login (staff only) with the same lockout."""


class RegistrationForm(BaseUserCreationForm):  # type: ignore[type-arg]
    """A citizen's account with an e-mail address or a phone number (at least one), each
    unique, and a password that passes Django's validators."""

    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    email = forms.EmailField(
        label=_("Thư điện tử"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Địa chỉ thư điện tử không hợp lệ.")},
    )
    phone = forms.CharField(
        label=_("Số điện thoại di động"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        help_text=_("Ví dụ 0912345678. Cần ít nhất thư điện tử hoặc số điện thoại."),
    )

    error_messages = {"password_mismatch": _("Hai mật khẩu không khớp nhau.")}

    class Meta:
        model = User
        fields = ("full_name", "email", "phone")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["full_name"].widget.attrs.update(autocomplete="name", autofocus=True)
        self.fields["password1"].label = _("Mật khẩu")
        self.fields["password1"].help_text = _(
            "Ít nhất 8 ký tự, không toàn chữ số, không quá giống tên hoặc thư điện tử của bạn."
        )
        self.fields["password2"].label = _("Nhập lại mật khẩu")
        self.fields["password2"].help_text = ""

    def clean_full_name(self) -> str:
        return " ".join(str(self.cleaned_data["full_name"]).split())

    def clean_email(self) -> str:
        email = str(self.cleaned_data.get("email") or "").strip().lower()
        if email and User.objects.filter(email__iexact=email).exists():
            raise ValidationError(
                _("Thư điện tử này đã được dùng cho một tài khoản khác."), code="email_taken"
            )
        return email

    def clean_phone(self) -> str:
        raw = str(self.cleaned_data.get("phone") or "").strip()
        if not raw:
            return ""
        phone = validate_mobile_phone(raw)
        if User.objects.filter(phone=phone).exists():
            raise ValidationError(
                _("Số điện thoại này đã được dùng cho một tài khoản khác."), code="phone_taken"
            )
        return phone

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        if (
            not cleaned.get("email")
            and not cleaned.get("phone")
            and "email" not in self.errors
            and "phone" not in self.errors
        ):
            self.add_error(
                "email", _("Nhập thư điện tử hoặc số điện thoại (ít nhất một trong hai).")
            )
        # The user name is the e-mail address or the phone number (both are allowed user
        # name characters); the password validators see it like the other attributes.
        self.instance.username = _free_username(cleaned.get("email") or cleaned.get("phone") or "")
        return cleaned


def _free_username(base: str) -> str:
    base = base[:140] or "congdan"
    candidate, n = base, 1
    while User.objects.filter(username=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate
