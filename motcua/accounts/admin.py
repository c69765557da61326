from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import ExternalIdentity, LoginThrottle, RoleAssignment, Unit, User


class RoleAssignmentInline(admin.TabularInline[RoleAssignment, User]):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["unit"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin[Unit]):
    list_display = ["name", "code", "kind", "parent", "area_code", "valid_from", "valid_to"]
    list_filter = ["kind"]
    search_fields = ["name", "code", "area_code"]
    autocomplete_fields = ["parent", "predecessors"]
    list_select_related = ["parent"]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "kind", "code", "parent", "area_code"]}),
        (_("Liên hệ"), {"fields": ["address", "phone", "email"]}),
        (_("Hiệu lực và sáp nhập"), {"fields": ["valid_from", "valid_to", "predecessors"]}),
    ]


@admin.register(User)
class UserAdmin(DjangoUserAdmin[User]):
    list_display = ["username", "full_name", "identity_number", "phone", "email", "is_active"]
    search_fields = ["username", "full_name", "identity_number", "phone", "email"]
    inlines = [RoleAssignmentInline]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (
            _("Thông tin cá nhân"),
            {
                "fields": [
                    "full_name",
                    "identity_number",
                    "date_of_birth",
                    "address",
                    "phone",
                    "email",
                ]
            },
        ),
        (
            _("Quyền hạn"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Mốc thời gian"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["username", "full_name", "identity_number", "password1", "password2"],
            },
        )
    ]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin[RoleAssignment]):
    list_display = ["user", "role", "unit", "title", "valid_from", "valid_to"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__full_name", "unit__name", "unit__code"]
    autocomplete_fields = ["user", "unit"]
    list_select_related = ["user", "unit"]


@admin.register(LoginThrottle)
class LoginThrottleAdmin(admin.ModelAdmin[LoginThrottle]):
    """Failed logins and current locks; deleting a row lifts its lock."""

    list_display = ["account", "address", "failures", "window_started_at", "locked_until"]
    search_fields = ["account", "address"]
    readonly_fields = ["account", "address", "failures", "window_started_at", "locked_until"]


@admin.register(ExternalIdentity)
class ExternalIdentityAdmin(admin.ModelAdmin[ExternalIdentity]):
    list_display = ["user", "issuer", "subject", "created_at", "last_login_at"]
    search_fields = ["user__username", "user__full_name", "subject"]
    autocomplete_fields = ["user"]
    list_select_related = ["user"]
