"""Authentication by user name, e-mail address or phone number with a password."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from motcua.accounts.login_names import find_user
from motcua.accounts.models import User


class LoginNameBackend(ModelBackend):
    """Django's ModelBackend (permissions included), finding the account by any login name.

    Lockout is not decided here but by the login form (`accounts.lockout`), which knows the
    client's address and can explain a refusal.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if not username or password is None:
            return None
        user = find_user(username)
        if user is None:
            # Spend the time of a hash anyway, so that a missing account is not faster.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
