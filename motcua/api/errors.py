"""Error answers of the API in Vietnamese.

Validation errors keep django-ninja's shape — `422 {"detail": [{"loc", "msg", "type"}]}` —
with the message of each field in Vietnamese. Errors the API finds itself (an unknown
procedure code, a missing header) use the same shape through `field_error`.
"""

from collections.abc import Sequence
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError

# Errors raised by the API itself: their message is already Vietnamese.
OWN_TYPES = frozenset({"invalid", "refused"})


def _choices(ctx: dict[str, Any]) -> str:
    expected = str(ctx.get("expected", ""))
    return f" Chọn một trong: {expected}." if expected else ""


def _translate(error: dict[str, Any]) -> str:
    kind = str(error.get("type", ""))
    ctx: dict[str, Any] = error.get("ctx") or {}
    if kind in OWN_TYPES:
        return str(error.get("msg", ""))
    if kind == "value_error" and "error" in ctx:
        return str(ctx["error"])  # our own validators raise Vietnamese ValueErrors
    simple = {
        "missing": "Trường này là bắt buộc.",
        "string_type": "Phải là chuỗi ký tự.",
        "int_type": "Phải là số nguyên.",
        "int_parsing": "Phải là số nguyên.",
        "int_from_float": "Phải là số nguyên.",
        "float_parsing": "Phải là số.",
        "float_type": "Phải là số.",
        "decimal_parsing": "Phải là số.",
        "decimal_type": "Phải là số.",
        "bool_parsing": "Phải là true hoặc false.",
        "bool_type": "Phải là true hoặc false.",
        "date_parsing": "Phải là ngày dạng YYYY-MM-DD.",
        "date_from_datetime_parsing": "Phải là ngày dạng YYYY-MM-DD.",
        "datetime_parsing": "Phải là thời điểm dạng ISO 8601 (YYYY-MM-DDTHH:MM:SS+07:00).",
        "datetime_from_date_parsing": "Phải là thời điểm dạng ISO 8601.",
        "list_type": "Phải là một danh sách.",
        "model_type": "Phải là một đối tượng JSON.",
        "model_attributes_type": "Phải là một đối tượng JSON.",
        "dict_type": "Phải là một đối tượng JSON.",
        "json_invalid": "Nội dung không phải JSON hợp lệ.",
        "extra_forbidden": "Trường này không được phép.",
    }
    if kind in simple:
        return simple[kind]
    if kind == "string_too_long":
        return f"Dài quá {ctx.get('max_length')} ký tự."
    if kind == "string_too_short":
        return f"Phải có ít nhất {ctx.get('min_length')} ký tự."
    if kind == "greater_than_equal":
        return f"Phải lớn hơn hoặc bằng {ctx.get('ge')}."
    if kind == "greater_than":
        return f"Phải lớn hơn {ctx.get('gt')}."
    if kind == "less_than_equal":
        return f"Phải nhỏ hơn hoặc bằng {ctx.get('le')}."
    if kind == "less_than":
        return f"Phải nhỏ hơn {ctx.get('lt')}."
    if kind in ("enum", "literal_error"):
        return "Giá trị không hợp lệ." + _choices(ctx)
    return "Giá trị không hợp lệ."


def vietnamese_errors(errors: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {"loc": list(e.get("loc", ())), "msg": _translate(e), "type": e.get("type", "")}
        for e in errors
    ]


def field_error(loc: Sequence[str | int], message: str, kind: str = "invalid") -> ValidationError:
    """A 422 answer for one field, in the same shape as the framework's validation errors."""
    return ValidationError([{"loc": list(loc), "msg": message, "type": kind}])


def install(api: NinjaAPI) -> None:
    """Answer validation errors with Vietnamese messages, in the framework's shape."""

    def on_validation_error(
        request: HttpRequest, exc: ValidationError | type[ValidationError]
    ) -> HttpResponse:
        errors = exc.errors if isinstance(exc, ValidationError) else []
        return api.create_response(request, {"detail": vietnamese_errors(errors)}, status=422)

    api.add_exception_handler(ValidationError, on_validation_error)
