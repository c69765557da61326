"""Citizens' accounts: log in, register, reset a forgotten password.

Thin views over Django's auth views and `motcua.accounts` (forms, lockout); the OpenID
Connect login lives in `motcua.integrations.oidc`, which this page links to.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from motcua.accounts import lockout
from motcua.accounts.forms import LoginForm, RegistrationForm
from motcua.integrations.oidc.client import login_button

BACKEND = "motcua.accounts.backends.LoginNameBackend"


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(external_login_context())
        return context


def external_login_context() -> dict[str, Any]:
    """The e-identity (OpenID Connect) button, when a provider is configured."""
    return {"external_login": login_button()}


@sensitive_post_parameters("password1", "password2")
@csrf_protect
@never_cache
def register(request: HttpRequest) -> HttpResponse:
    """Register a citizen's account; errors next to their fields, what was typed kept."""
    if request.user.is_authenticated:
        return redirect("home")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend=BACKEND)
        messages.success(request, _("Đăng ký thành công. Chào mừng bạn đến với dịch vụ công."))
        return redirect("home")
    return render(request, "registration/register.html", {"form": form, **external_login_context()})


class ResetRequestForm(PasswordResetForm):
    email = forms.EmailField(
        label=_("Thư điện tử của tài khoản"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
        error_messages={
            "invalid": _("Địa chỉ thư điện tử không hợp lệ."),
            "required": _("Vui lòng nhập thư điện tử."),
        },
    )


class NewPasswordForm(SetPasswordForm):  # type: ignore[type-arg]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("Mật khẩu mới")
        self.fields["new_password2"].label = _("Nhập lại mật khẩu mới")
        self.fields["new_password2"].help_text = ""

    error_messages = {"password_mismatch": _("Hai mật khẩu không khớp nhau.")}


class ResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = NewPasswordForm
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        if self.user is not None:
            lockout.clear_account(self.user.pk)
        return response


password_reset = auth_views.PasswordResetView.as_view(
    form_class=ResetRequestForm,
    success_url=reverse_lazy("password_reset_done"),
    email_template_name="registration/password_reset_email.txt",
    subject_template_name="registration/password_reset_subject.txt",
)
password_reset_done = auth_views.PasswordResetDoneView.as_view()
password_reset_confirm = ResetConfirmView.as_view()
password_reset_complete = auth_views.PasswordResetCompleteView.as_view()
login_view = LoginView.as_view()
