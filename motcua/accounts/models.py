"""Organisation units, users and officer roles (domain.md A1).

Units form one tree of any depth (province → departments / communes → offices → reception
points, with vertical agencies alongside). Officers hold roles per unit; a role held at a
unit covers that unit and every unit below it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.db.models import Q, Value
from django.db.models.functions import Concat, Lower, Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.accounts.identity import validate_identity_number


class UnitKind(models.TextChoices):
    PROVINCE = "province", _("Tỉnh, thành phố")
    DEPARTMENT = "department", _("Sở, ban, ngành cấp tỉnh")
    COMMUNE = "commune", _("Xã, phường, đặc khu")
    SERVICE_CENTRE = "service_centre", _("Trung tâm phục vụ hành chính công")
    OFFICE = "office", _("Phòng, bộ phận chuyên môn")
    RECEPTION_POINT = "reception_point", _("Điểm tiếp nhận")
    VERTICAL_AGENCY = "vertical_agency", _("Cơ quan ngành dọc")
    OTHER = "other", _("Khác")


identifier_validator = RegexValidator(
    r"^[0-9A-Z.]{1,35}$",
    _("Mã định danh điện tử chỉ gồm chữ số, chữ in hoa A–Z và dấu chấm, tối đa 35 ký tự."),
)


class Unit(models.Model):
    """An organisation unit (cơ quan, đơn vị) in one tree of any depth.

    `code` is the electronic identifier (mã định danh điện tử, QĐ 20/2020/QĐ-TTg or the
    legacy QCVN 102:2016 style) kept as an opaque string. `path` is a materialised path of
    ancestor ids ("/1/7/42/") maintained on save, so that "this unit and everything below
    it" is one indexed prefix query at any depth. Units are never deleted after the 2025
    merges: they get `valid_to` and successor links, and old dossiers keep pointing at them.
    """

    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("đơn vị cấp trên"),
    )
    kind = models.CharField(_("loại đơn vị"), max_length=20, choices=UnitKind.choices)
    code = models.CharField(
        _("mã định danh điện tử"), max_length=35, unique=True, validators=[identifier_validator]
    )
    name = models.CharField(_("tên đơn vị"), max_length=255)
    short_name = models.CharField(_("tên ngắn"), max_length=120, blank=True)
    area_code = models.CharField(
        _("mã đơn vị hành chính"),
        max_length=10,
        blank=True,
        help_text=_("Mã thống kê của tỉnh hoặc xã, phường (từ 01/7/2025)."),
    )
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    valid_from = models.DateField(_("hiệu lực từ ngày"), null=True, blank=True)
    valid_to = models.DateField(_("hết hiệu lực từ ngày"), null=True, blank=True)
    predecessors = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="successors",
        verbose_name=_("đơn vị tiền thân"),
    )
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gt=models.F("valid_from")),
                name="unit_valid_to_after_valid_from",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        with transaction.atomic():
            super().save(*args, **kwargs)
            parent_path = self.parent.path if self.parent is not None else "/"
            new_path = f"{parent_path}{self.pk}/"
            if new_path != self.path:
                old_path, self.path = self.path, new_path
                Unit.objects.filter(pk=self.pk).update(path=new_path)
                if old_path:
                    # The unit moved: rewrite the paths below it in one statement.
                    Unit.objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
                        path=Concat(Value(new_path), Substr("path", len(old_path) + 1))
                    )

    def clean(self) -> None:
        if self.parent_id is not None and self.pk is not None:
            parent = Unit.objects.get(pk=self.parent_id)
            if parent.pk == self.pk or f"/{self.pk}/" in parent.path:
                raise ValidationError(
                    {"parent": _("Đơn vị cấp trên không được là chính nó hoặc đơn vị cấp dưới.")}
                )

    @property
    def ancestor_ids(self) -> list[int]:
        """Ids from the root down to this unit, inclusive."""
        return [int(part) for part in self.path.strip("/").split("/") if part]

    def subtree(self) -> models.QuerySet[Unit]:
        """This unit and every unit below it, at any depth."""
        return Unit.objects.filter(path__startswith=self.path)

    def is_active_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day < self.valid_to
        )

    @property
    def is_active(self) -> bool:
        return self.is_active_on(timezone.localdate())

    def current_successors(self) -> list[Unit]:
        """Where this unit's work went after a merge or split (empty while it is active)."""
        return list(self.successors.all())


phone_validator = RegexValidator(
    r"^(\+84|0)\d{9,10}$", _("Số điện thoại phải có dạng 0xxxxxxxxx hoặc +84xxxxxxxxx.")
)


class User(AbstractUser):
    """Anyone who logs in: a citizen, a business representative or an officer.

    An officer is a user with at least one current role assignment; the same person can
    also submit dossiers as a citizen. The identity number is validated by format
    (domain.md A6) and unique when present; it is never the primary key.
    """

    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    identity_number = models.CharField(
        _("số định danh cá nhân"),
        max_length=12,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_identity_number],
    )
    phone = models.CharField(
        _("số điện thoại"), max_length=15, blank=True, validators=[phone_validator]
    )
    # From the e-identity provider (VNeID) when the citizen logs in through it, so that
    # forms can be pre-filled; empty for accounts registered with a password.
    date_of_birth = models.DateField(_("ngày sinh"), null=True, blank=True)
    address = models.CharField(_("địa chỉ thường trú"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        ordering = ["username"]
        constraints = [
            # E-mail (any case) and phone each name at most one account, so that either
            # can be used to log in and to reset the password.
            models.UniqueConstraint(
                Lower("email"), condition=~Q(email=""), name="user_unique_email"
            ),
            models.UniqueConstraint(
                fields=["phone"], condition=~Q(phone=""), name="user_unique_phone"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or super().get_full_name() or self.username


class Role(models.TextChoices):
    RECEPTION = "reception", _("Cán bộ tiếp nhận và trả kết quả")
    SPECIALIST = "specialist", _("Chuyên viên xử lý")
    HEAD_OF_OFFICE = "head_of_office", _("Lãnh đạo phòng")
    SIGNING_LEADER = "signing_leader", _("Lãnh đạo ký duyệt")
    REGISTRY = "registry", _("Văn thư")
    UNIT_ADMIN = "unit_admin", _("Quản trị đơn vị")
    AUDITOR = "auditor", _("Thanh tra, giám sát")


class RoleAssignmentQuerySet(models.QuerySet["RoleAssignment"]):
    def current(self, day: dt.date | None = None) -> RoleAssignmentQuerySet:
        day = day or timezone.localdate()
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gt=day),
            user__is_active=True,
        )


class RoleAssignment(models.Model):
    """An officer's role at a unit (phân quyền theo đơn vị).

    The role covers the unit and every unit below it. Which actions a role permits is
    decided in `motcua.accounts.access`, the one place that answers such questions.
    """

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="roles", verbose_name=_("cán bộ")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="role_assignments", verbose_name=_("đơn vị")
    )
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)
    title = models.CharField(_("chức danh"), max_length=120, blank=True)
    valid_from = models.DateField(_("từ ngày"), null=True, blank=True)
    valid_to = models.DateField(_("đến ngày"), null=True, blank=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("phân công vai trò")
        verbose_name_plural = _("phân công vai trò")
        ordering = ["unit__path", "role", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="unique_role_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.unit}"


class LoginThrottle(models.Model):
    """Failed password logins of one account from one address (chống dò mật khẩu).

    `account` is "user:<id>" when the name typed resolves to an account, otherwise the
    normalised name itself, so that typing the e-mail, the phone or the user name of the
    same account counts together. After `LOGIN_FAILURE_LIMIT` failures within
    `LOGIN_LOCKOUT_MINUTES` the pair is locked for that many minutes; a successful login
    deletes the row. Kept in the database (not the per-process cache) so that several web
    processes share it.
    """

    account = models.CharField(_("tài khoản"), max_length=160)
    address = models.CharField(_("địa chỉ IP"), max_length=45)
    failures = models.PositiveIntegerField(_("số lần sai"), default=0)
    window_started_at = models.DateTimeField(_("bắt đầu đếm"))
    locked_until = models.DateTimeField(_("khóa đến"), null=True, blank=True)

    class Meta:
        verbose_name = _("đăng nhập sai")
        verbose_name_plural = _("đăng nhập sai")
        ordering = ["-window_started_at"]
        constraints = [
            models.UniqueConstraint(fields=["account", "address"], name="login_throttle_unique")
        ]

    def __str__(self) -> str:
        return f"{self.account} @ {self.address}: {self.failures}"


class ExternalIdentity(models.Model):
    """The link between an account and a person at an OpenID Connect provider (VNeID).

    (`issuer`, `subject`) is the provider's stable name for the person; the account is
    found by it on every later login and updated from the claims, never duplicated.
    """

    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="external_identities",
        verbose_name=_("người dùng"),
    )
    issuer = models.CharField(_("nhà cung cấp định danh"), max_length=255)
    subject = models.CharField(_("mã người dùng tại nhà cung cấp"), max_length=255)
    created_at = models.DateTimeField(_("liên kết lúc"), auto_now_add=True)
    last_login_at = models.DateTimeField(_("đăng nhập gần nhất"), null=True, blank=True)

    class Meta:
        verbose_name = _("định danh điện tử liên kết")
        verbose_name_plural = _("định danh điện tử liên kết")
        ordering = ["-last_login_at"]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="external_identity_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.issuer}"
