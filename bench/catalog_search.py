"""Benchmark: catalogue search over a generated national-size catalogue (6,000 procedures).

    python bench/catalog_search.py [--procedures 6000] [--queries 400]

Runs on a fresh SQLite file in a temporary directory, or on DATABASE_URL when set (a
throwaway database: it is migrated and filled). Reports p50/p95/max latency of the search
the public page and the API use (ranked ids + the first page of rows), and of the API
request end to end through Django's test client.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

VERBS = [
    "Đăng ký",
    "Cấp",
    "Cấp lại",
    "Cấp đổi",
    "Gia hạn",
    "Điều chỉnh",
    "Thu hồi",
    "Xác nhận",
    "Công nhận",
    "Thẩm định",
    "Phê duyệt",
    "Chứng thực",
    "Thay đổi",
    "Bổ sung",
    "Giải quyết",
    "Hỗ trợ",
    "Miễn, giảm",
    "Cho thuê",
    "Chuyển nhượng",
]
OBJECTS = [
    "khai sinh",
    "khai tử",
    "kết hôn",
    "giấy phép xây dựng",
    "giấy chứng nhận quyền sử dụng đất",
    "hộ kinh doanh",
    "doanh nghiệp",
    "thường trú",
    "tạm trú",
    "giấy phép lái xe",
    "chứng chỉ hành nghề",
    "giấy phép kinh doanh karaoke",
    "trợ cấp xã hội",
    "bản sao trích lục hộ tịch",
    "hợp đồng, giao dịch",
    "tiền thuế đất",
    "đất nông nghiệp",
    "nhà ở riêng lẻ",
    "cơ sở giáo dục",
    "phòng khám",
    "nguồn nước",
    "giấy phép môi trường",
    "thẻ bảo hiểm y tế",
    "người có công",
    "hồ sơ đề nghị",
    "giấy phép lao động",
    "cơ sở bán lẻ thuốc",
    "giấy chứng nhận an toàn thực phẩm",
    "quảng cáo",
    "di tích",
]
QUALIFIERS = [
    "",
    "",
    "",
    " cho người nước ngoài",
    " có yếu tố nước ngoài",
    " trong nước",
    " lần đầu",
    " (cấp tỉnh)",
    " (cấp xã)",
    " tại khu vực biên giới",
    " theo hình thức trực tuyến",
]
FIELDS = [
    "Hộ tịch",
    "Chứng thực",
    "Đất đai",
    "Xây dựng",
    "Cư trú",
    "Kinh doanh",
    "Y tế",
    "Giáo dục",
    "Lao động",
    "Bảo trợ xã hội",
    "Môi trường",
    "Giao thông",
    "Văn hóa",
    "Thuế",
]
QUERIES = [
    "dang ky khai sinh",
    "đăng ký khai sinh",
    "KHAI SINH",
    "giay phep xay dung",
    "cấp lại",
    "thue dat",
    "thuê đất",
    "ho kinh doanh",
    "1.001193",
    "chung thuc hop dong",
    "trợ cấp",
    "giay phep",
    "cap doi giay chung nhan quyen su dung dat",
    "kết hôn nước ngoài",
    "thường trú",
    "xyz không có",
]


def setup(tmp: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    os.environ["MOTCUA_DEMO"] = "1"
    os.environ["MOTCUA_DATA_DIR"] = str(tmp)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def generate(n: int, rng: random.Random) -> None:
    import datetime as dt

    from django.db import transaction
    from tqdm import tqdm

    from motcua.catalog.folding import search_text
    from motcua.catalog.models import Field, Procedure, ProcedureVersion

    fields = [
        Field.objects.get_or_create(code=f"F{i}", defaults={"name": name})[0]
        for i, name in enumerate(FIELDS)
    ]
    with transaction.atomic():
        procedures = []
        names = {}
        for i in range(n):
            code = "1.001193" if i == 0 else f"{rng.choice('12')}.{100000 + i:06d}"
            name = (
                "Đăng ký khai sinh"
                if i == 0
                else (f"{rng.choice(VERBS)} {rng.choice(OBJECTS)}{rng.choice(QUALIFIERS)}")
            )
            field = fields[0] if i == 0 else rng.choice(fields)
            names[code] = (name, field)
            procedures.append(
                Procedure(
                    code=code,
                    local_code=f"{code}.H56",
                    search_text=search_text(f"{code} {code}.H56 {name} {field.name}"),
                )
            )
        Procedure.objects.bulk_create(procedures, batch_size=1000)
        versions = []
        for p in tqdm(Procedure.objects.all(), total=n, desc="Thủ tục", unit=" tt"):
            name, field = names[p.code]
            versions.append(
                ProcedureVersion(
                    procedure=p,
                    number=1,
                    status="published",
                    effective_from=dt.date(2025, 7, 1),
                    name=name,
                    field=field,
                    authority_level=rng.choice(["province", "commune"]),
                    competent_unit_kind=rng.choice(["commune", "department"]),
                    time_limit_value=Decimal(rng.choice([1, 3, 5, 7, 10, 15, 20])),
                    time_limit_unit="working_days",
                    online_mode=rng.choice(["full", "partial", "none"]),
                    result_name="Kết quả",
                    applicants="Công dân",
                    legal_basis="Luật",
                )
            )
        ProcedureVersion.objects.bulk_create(versions, batch_size=1000)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--procedures", type=int, default=6000)
    parser.add_argument("--queries", type=int, default=400)
    args = parser.parse_args()
    rng = random.Random(20261125)
    with tempfile.TemporaryDirectory() as tmp:
        setup(Path(tmp))
        from django.db import connection
        from django.test import Client
        from tqdm import tqdm

        from motcua.catalog.search import Filters, search

        generate(args.procedures, rng)
        queries = [rng.choice(QUERIES) for _ in range(args.queries)]
        first = search(Filters(q="dang ky khai sinh"))[:20]
        if first[0].procedure.code != "1.001193":
            raise SystemExit("birth registration must come first")

        search_ms: list[float] = []
        for q in tqdm(queries, desc="Tìm kiếm", unit=" truy vấn"):
            start = time.perf_counter()
            search(Filters(q=q))[:20]
            search_ms.append((time.perf_counter() - start) * 1000)

        client = Client(SERVER_NAME="localhost")
        api_ms: list[float] = []
        for q in tqdm(queries, desc="API", unit=" yêu cầu"):
            start = time.perf_counter()
            response = client.get("/api/v1/procedures", {"q": q})
            api_ms.append((time.perf_counter() - start) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"API answered {response.status_code} for {q!r}")

        engine = connection.vendor
        print(
            f"catalog_search: {args.procedures} thủ tục trên {engine}, {len(queries)} truy vấn — "
            f"tìm kiếm p50 {statistics.median(search_ms):.1f} ms, p95 {percentile(search_ms, 95):.1f} ms, "
            f"max {max(search_ms):.1f} ms; API p50 {statistics.median(api_ms):.1f} ms, "
            f"p95 {percentile(api_ms, 95):.1f} ms"
        )


if __name__ == "__main__":
    main()
