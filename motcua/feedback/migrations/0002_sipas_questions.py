"""The five aspects of the satisfaction index (SIPAS, Ministry of Home Affairs; domain.md
B6.2) as the first rating questions. Edited later in the admin; reversing removes only the
questions nobody has answered."""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

QUESTIONS = [
    (
        "Tiếp cận dịch vụ",
        "Thông tin về thủ tục, cách nộp hồ sơ và nơi tiếp nhận có dễ tìm, thuận tiện không?",
    ),
    (
        "Thủ tục hành chính",
        "Giấy tờ phải nộp, thời hạn và phí, lệ phí có đúng như đã công khai và hợp lý không?",
    ),
    (
        "Công chức giải quyết",
        "Cán bộ có lịch sự, lắng nghe và hướng dẫn bạn tận tình, đúng quy định không?",
    ),
    (
        "Kết quả giải quyết",
        "Kết quả có đúng quy định, đầy đủ, chính xác và được trả đúng hẹn không?",
    ),
    (
        "Tiếp nhận, xử lý góp ý",
        "Ý kiến, phản ánh, kiến nghị của bạn (nếu có) có được tiếp nhận và trả lời thỏa đáng không?",
    ),
]


def seed(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    question = apps.get_model("feedback", "RatingQuestion")
    for position, (aspect, text) in enumerate(QUESTIONS, start=1):
        question.objects.get_or_create(
            aspect=aspect, defaults={"text": text, "position": position, "active": True}
        )


def unseed(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    question = apps.get_model("feedback", "RatingQuestion")
    question.objects.filter(
        aspect__in=[aspect for aspect, _text in QUESTIONS], answers__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_ratings")]

    operations = [migrations.RunPython(seed, unseed)]
