"""Lockout after repeated failed logins (khóa tạm thời khi đăng nhập sai nhiều lần).

`LOGIN_FAILURE_LIMIT` failures of one account from one client address within
`LOGIN_LOCKOUT_MINUTES` lock that pair for `LOGIN_LOCKOUT_MINUTES`. While locked, the
password is not even checked. Counting per account *and* address means that someone
guessing from elsewhere cannot lock the real owner out of their own computer, while one
address still cannot try more than the limit per window against any account.

Written here (one small model, three functions) rather than with django-axes: axes counts
the name as typed, so the e-mail, phone and user name of one account would each get their
own five tries, and its standalone backend requires a request on every authenticate() call.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from motcua.accounts.login_names import find_user
from motcua.accounts.models import LoginThrottle


def _minutes() -> dt.timedelta:
    return dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def account_key(login_name: str) -> str:
    """The same key for every name of one account; the typed name if it names none."""
    user = find_user(login_name)
    if user is not None:
        return f"user:{user.pk}"
    return f"name:{login_name.strip().lower()}"[:160]


def client_address(request: HttpRequest | None) -> str:
    if request is None:
        return ""
    return str(request.META.get("REMOTE_ADDR", ""))[:45]


def locked_until(account: str, address: str) -> dt.datetime | None:
    """When the lock on this pair ends, or None if it is not locked now."""
    until = (
        LoginThrottle.objects.filter(account=account, address=address)
        .values_list("locked_until", flat=True)
        .first()
    )
    if until is not None and until > timezone.now():
        return until
    return None


def record_failure(account: str, address: str) -> dt.datetime | None:
    """Count one failed login; returns the end of the lock if this failure starts one."""
    now = timezone.now()
    for _attempt in range(2):
        try:
            with transaction.atomic():
                row = (
                    LoginThrottle.objects.select_for_update()
                    .filter(account=account, address=address)
                    .first()
                )
                if row is None:
                    row = LoginThrottle.objects.create(
                        account=account, address=address, failures=0, window_started_at=now
                    )
                if row.window_started_at <= now - _minutes() or (
                    row.locked_until is not None and row.locked_until <= now
                ):
                    row.failures, row.window_started_at, row.locked_until = 0, now, None
                row.failures += 1
                if row.failures >= settings.LOGIN_FAILURE_LIMIT:
                    row.locked_until = now + _minutes()
                row.save(update_fields=["failures", "window_started_at", "locked_until"])
            _forget_stale(now)
            return row.locked_until
        except IntegrityError:  # two first failures at once: the other created the row
            continue
    return None


def _forget_stale(now: dt.datetime) -> None:
    """Rows of guesses long over (names of no account, mostly) are not kept forever."""
    LoginThrottle.objects.filter(window_started_at__lt=now - dt.timedelta(days=1)).filter(
        Q(locked_until__isnull=True) | Q(locked_until__lt=now)
    ).delete()


def clear(account: str, address: str) -> None:
    """A successful login forgets the failures of this pair."""
    LoginThrottle.objects.filter(account=account, address=address).delete()


def clear_account(user_id: int) -> None:
    """A new password (reset by e-mail) lifts every lock on the account."""
    LoginThrottle.objects.filter(account=f"user:{user_id}").delete()
