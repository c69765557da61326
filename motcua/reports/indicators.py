"""Decision 766/QĐ-TTg (23/6/2022) service index, computed locally (domain.md A7, B1.8).

Five groups, 18 + 20 + 22 + 22 + 18 = 100 points. Each indicator has a formula, a value (a
share between 0 and 1), a full-score threshold and linear scoring below it; a group's points
are split among the indicators that can be computed here, by the weights of `WEIGHTS`
(equal by default). Indicators that need the national portal's data are shown as such and
never given a value; 2.2 (average handling time by procedure) is information only, shown
in days without points (docs/reports.md, "Decision 766 indicators, rankings, targets").

Sources, never the dossier table:
- the rollups (`RunningTotal` + `DailyFlow`: a sum over days is C(end + 1) − C(start), a stock
  on a day the sum of its changes, exactly as report form 06 counts — a test holds the two
  equal), grouped here by procedure for a subtree and by unit for the units of a ranking;
  for a period reaching today the open dossiers are taken now from the open `DossierFact`
  rows (partial index), as form 06 does;
- the catalogue (procedures in force at the end of the period whose competent unit kind is
  one of the subtree's kinds) for 1.3, 3.1 and 3.2;
- ratings (`feedback.Rating`) joined to the dossiers' facts of the subtree for 5.4.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from motcua.accounts.models import Unit
from motcua.catalog.models import Component, OnlineMode, ProcedureVersion, VersionStatus
from motcua.feedback.models import Rating
from motcua.reports import live
from motcua.reports.folding import from_row
from motcua.reports.form06 import PERIOD_COUNTERS
from motcua.reports.models import DossierFact
from motcua.reports.projection import CLOSED_COUNTER, WITH_RESULT, changes_of
from motcua.reports.reads import report_reads
from motcua.reports.sums import Key, grown, kept_through, sums_around


class Status:
    """How far an indicator can be computed here."""

    LOCAL = "local"  # computed from local data as the formula says
    PARTIAL = "partial"  # computed here, one rule of the formula not applied (reason shown)
    NATIONAL = "national"  # needs the national portal's data: shown, not scored
    INFO = "info"  # information only, no points in the formula

    LABELS: Mapping[str, Promise] = {
        LOCAL: _("Tính tại chỗ"),
        PARTIAL: _("Tính tại chỗ, một phần"),
        NATIONAL: _("Cần dữ liệu quốc gia"),
        INFO: _("Chỉ để theo dõi"),
    }
    SCORED = frozenset({LOCAL, PARTIAL})


@dataclass(frozen=True)
class Group:
    number: int
    name: Promise
    max_points: int


GROUPS = (
    Group(1, _("Công khai, minh bạch"), 18),
    Group(2, _("Tiến độ, kết quả giải quyết"), 20),
    Group(3, _("Cung cấp dịch vụ trực tuyến"), 22),
    Group(4, _("Số hóa hồ sơ"), 22),
    Group(5, _("Mức độ hài lòng"), 18),
)


@dataclass(frozen=True)
class Definition:
    """One indicator of Decision 766: what it measures and how far it is computed here."""

    code: str
    group: int
    name: Promise
    formula: Promise
    source: Promise
    status: str
    threshold: float | None = None  # full score at or above this share (None: not scored)
    note: Promise | str = ""  # why partial / not counted / national


CATALOGUE = _("Danh mục thủ tục (phiên bản có hiệu lực cuối kỳ)")
ROLLUPS = _("Số liệu tổng hợp theo ngày (như biểu 06)")
NATIONAL_PORTAL = _("Cổng Dịch vụ công quốc gia")

DEFINITIONS: tuple[Definition, ...] = (
    Definition(
        "1.1",
        1,
        _("Thủ tục được công bố đúng hạn"),
        _(
            "Số thủ tục có quyết định công bố trước ngày văn bản quy định có hiệu lực ít nhất 5 "
            "ngày làm việc (bộ: 20) / tổng số thủ tục."
        ),
        NATIONAL_PORTAL,
        Status.NATIONAL,
        note=_(
            "Cần ngày có hiệu lực của văn bản quy định, do Cơ sở dữ liệu quốc gia về "
            "TTHC quản lý; danh mục tại chỗ không lưu ngày này."
        ),
    ),
    Definition(
        "1.2",
        1,
        _("Thủ tục được cập nhật, công khai đúng hạn trên CSDL quốc gia"),
        _(
            "Số thủ tục được nhập vào CSDL quốc gia về TTHC trong 5 ngày làm việc kể từ quyết "
            "định công bố / tổng số thủ tục."
        ),
        NATIONAL_PORTAL,
        Status.NATIONAL,
        note=_("Ngày nhập vào CSDL quốc gia về TTHC chỉ có ở hệ thống quốc gia."),
    ),
    Definition(
        "1.3",
        1,
        _("Thủ tục công khai đầy đủ các bộ phận"),
        _(
            "Số thủ tục có hiệu lực có đủ tên, trình tự, cách thức, thành phần hồ sơ, thời hạn, "
            "đối tượng và cơ quan thực hiện / tổng số thủ tục có hiệu lực của đơn vị."
        ),
        CATALOGUE,
        Status.LOCAL,
        threshold=1.0,
    ),
    Definition(
        "1.4",
        1,
        _("Hồ sơ được đồng bộ lên Cổng DVCQG"),
        _(
            "Số hồ sơ đồng bộ có ngày tiếp nhận trong kỳ / số hồ sơ lớn nhất giữa hệ thống báo "
            "cáo quốc gia và Cổng DVCQG."
        ),
        NATIONAL_PORTAL,
        Status.NATIONAL,
        note=_("Cần số liệu của Cổng DVCQG và Hệ thống thông tin báo cáo quốc gia."),
    ),
    Definition(
        "2.1",
        2,
        _("Hồ sơ giải quyết trước hạn, đúng hạn"),
        _(
            "(Hồ sơ đã giải quyết trước hạn, đúng hạn, kể cả rút hồ sơ + hồ sơ đang giải quyết "
            "trong hạn, kể cả chờ bổ sung − những hồ sơ trong số đó đã bị yêu cầu bổ sung từ "
            "hai lần trở lên, tính là quá hạn) / (hồ sơ tiếp nhận trong kỳ + từ kỳ trước "
            "chuyển qua): cột (8 + 9 + 12) / cột 3 của biểu 06."
        ),
        ROLLUPS,
        Status.PARTIAL,
        threshold=1.0,
        note=_(
            "Quy tắc «hồ sơ chỉ bị yêu cầu bổ sung một lần được tính là kết thúc vào ngày yêu "
            "cầu» chưa áp dụng: hồ sơ đó được đánh giá theo ngày giải quyết thực tế, thời gian "
            "chờ bổ sung không tính vào thời hạn."
        ),
    ),
    Definition(
        "2.2",
        2,
        _("Thời gian giải quyết trung bình của thủ tục"),
        _(
            "Tổng thời gian giải quyết (trừ thời gian chờ bổ sung) / số hồ sơ đã giải quyết, "
            "theo từng thủ tục; chỉ để theo dõi."
        ),
        ROLLUPS,
        Status.INFO,
        note=_(
            "Tính theo giờ lịch, từ khi tiếp nhận đến khi có kết quả, trừ thời gian chờ bổ sung "
            "hồ sơ hoặc nộp phí; hồ sơ rút không tính. Không có điểm."
        ),
    ),
    Definition(
        "3.1",
        3,
        _("Thủ tục cung cấp dịch vụ công trực tuyến"),
        _(
            "Số thủ tục có hiệu lực có dịch vụ trực tuyến (toàn trình hoặc một phần) / tổng "
            "số thủ tục có hiệu lực của đơn vị; đủ điểm từ 80 %."
        ),
        CATALOGUE,
        Status.LOCAL,
        threshold=0.8,
    ),
    Definition(
        "3.2",
        3,
        _("Dịch vụ trực tuyến có phát sinh hồ sơ"),
        _(
            "Số thủ tục có dịch vụ trực tuyến đã tiếp nhận ít nhất một hồ sơ trực tuyến trong "
            "kỳ / số thủ tục có dịch vụ trực tuyến."
        ),
        _("Danh mục thủ tục và số liệu tổng hợp theo ngày"),
        Status.LOCAL,
        threshold=1.0,
    ),
    Definition(
        "3.3",
        3,
        _("Hồ sơ nộp trực tuyến"),
        _(
            "Hồ sơ tiếp nhận trực tuyến trong kỳ được cấp kết quả điện tử (hoặc có kết quả "
            "không phải là giấy tờ) / hồ sơ tiếp nhận trong kỳ: cột 4 / cột (4 + 5) của biểu "
            "06; đủ điểm từ 50 %."
        ),
        ROLLUPS,
        Status.LOCAL,
        threshold=0.5,
    ),
    Definition(
        "3.5",
        3,
        _("Thủ tục có phí tích hợp thanh toán trực tuyến trên Cổng DVCQG"),
        _(
            "Số thủ tục có phí, lệ phí tích hợp thanh toán trên Cổng DVCQG / số thủ tục có "
            "phí, lệ phí; đủ điểm từ 80 %."
        ),
        NATIONAL_PORTAL,
        Status.NATIONAL,
        note=_("Việc tích hợp thanh toán do Cổng DVCQG xác nhận; motcua chưa kết nối."),
    ),
    Definition(
        "3.6",
        3,
        _("Hồ sơ có phí được thanh toán trực tuyến"),
        _(
            "Số hồ sơ có phí đã thanh toán trực tuyến (trên Cổng DVCQG hoặc cổng của tỉnh) / "
            "số hồ sơ có phí."
        ),
        NATIONAL_PORTAL,
        Status.NATIONAL,
        note=_(
            "Giao dịch thanh toán do nền tảng thanh toán quốc gia ghi nhận; motcua chưa "
            "kết nối cổng thanh toán."
        ),
    ),
    Definition(
        "4.1",
        4,
        _("Hồ sơ có kết quả điện tử"),
        _(
            "Hồ sơ đã có kết quả trong kỳ được cấp kết quả điện tử có ký số / hồ sơ đã có kết "
            "quả trong kỳ (trước hạn, đúng hạn, quá hạn; không tính rút hồ sơ)."
        ),
        ROLLUPS,
        Status.LOCAL,
        threshold=1.0,
    ),
    Definition(
        "4.2",
        4,
        _("Hồ sơ được số hóa"),
        _(
            "Hồ sơ tiếp nhận trong kỳ có mọi thành phần ở dạng điện tử (hoặc được miễn) khi "
            "tiếp nhận và được cấp kết quả điện tử / hồ sơ tiếp nhận trong kỳ; đủ điểm từ 80 %."
        ),
        ROLLUPS,
        Status.LOCAL,
        threshold=0.8,
    ),
    Definition(
        "4.3",
        4,
        _("Hồ sơ tái sử dụng dữ liệu đã số hóa"),
        _(
            "Hồ sơ tiếp nhận trong kỳ có thành phần lấy lại từ kho dữ liệu hoặc nhận qua trao "
            "đổi giữa các cơ quan / hồ sơ tiếp nhận trong kỳ; đủ điểm từ 80 %."
        ),
        ROLLUPS,
        Status.LOCAL,
        threshold=0.8,
    ),
    Definition(
        "4.4",
        4,
        _("Hồ sơ kết nối kho dữ liệu của công dân trên Cổng DVCQG"),
        _(
            "Hồ sơ số hóa có thành phần lấy từ kho DVCQG hoặc kết quả được đẩy vào kho DVCQG / "
            "hồ sơ số hóa."
        ),
        NATIONAL_PORTAL,
        Status.NATIONAL,
        note=_("Kho dữ liệu tại chỗ chưa liên thông với kho của Cổng DVCQG."),
    ),
    Definition(
        "4.5",
        4,
        _("Khai thác Cơ sở dữ liệu quốc gia về dân cư"),
        _(
            "Hồ sơ có tài khoản định danh điện tử VNeID hoặc dữ liệu lấy từ CSDL dân cư / hồ sơ "
            "tiếp nhận."
        ),
        NATIONAL_PORTAL,
        Status.NATIONAL,
        note=_("Việc khai thác CSDL quốc gia về dân cư được đo ở hệ thống quốc gia."),
    ),
    Definition(
        "5.1",
        5,
        _("Phản ánh, kiến nghị theo loại"),
        _("Phản ánh, kiến nghị về quy định, thủ tục và về hành vi của cán bộ."),
        NATIONAL_PORTAL,
        Status.NATIONAL,
        note=_("Phản ánh, kiến nghị được xử lý trên hệ thống PAKN của Cổng DVCQG."),
    ),
    Definition(
        "5.2",
        5,
        _("Tiến độ xử lý phản ánh, kiến nghị"),
        _(
            "Phản ánh, kiến nghị được từ chối trong 2, yêu cầu làm rõ trong 5, trả lời trong 15 "
            "và công khai trong 2 ngày làm việc."
        ),
        NATIONAL_PORTAL,
        Status.NATIONAL,
        note=_("Phản ánh, kiến nghị được xử lý trên hệ thống PAKN của Cổng DVCQG."),
    ),
    Definition(
        "5.3",
        5,
        _("Mức độ hài lòng về xử lý phản ánh, kiến nghị"),
        _("(Tổng số − không hài lòng − phản ánh lại − quá hạn) / tổng số phản ánh, kiến nghị."),
        NATIONAL_PORTAL,
        Status.NATIONAL,
        note=_("Phản ánh, kiến nghị được xử lý trên hệ thống PAKN của Cổng DVCQG."),
    ),
    Definition(
        "5.4",
        5,
        _("Mức độ hài lòng trong tiếp nhận, giải quyết TTHC"),
        _(
            "100 % − tỷ lệ hồ sơ quá hạn (cột (10 + 13) / cột 3 của biểu 06) − tỷ lệ đánh giá "
            "không hài lòng hoặc rất không hài lòng trong kỳ; đủ điểm từ 90 %."
        ),
        _("Số liệu tổng hợp theo ngày và đánh giá của người dân"),
        Status.PARTIAL,
        threshold=0.9,
        note=_(
            "Chưa trừ hồ sơ có phản ánh, kiến nghị: phản ánh, kiến nghị chưa được quản lý tại chỗ."
        ),
    ),
)

# Weights of the indicators inside their group: a group's points are split among its
# indicators computed here in proportion to these (equal by default; the texts found give
# no per-indicator weights, domain.md B1.8).
WEIGHTS: Mapping[str, float] = {d.code: 1.0 for d in DEFINITIONS}

BY_CODE: Mapping[str, Definition] = {d.code: d for d in DEFINITIONS}


def score(value: float, threshold: float, max_points: float) -> float:
    """Full points at or above the threshold, linear below it (0 at 0)."""
    if threshold <= 0:
        return max_points
    return max_points * min(1.0, max(0.0, value) / threshold)


# --- Figures ---------------------------------------------------------------------------

FLOW_COLUMNS = (
    *PERIOD_COUNTERS,
    "digitised",
    "result_electronic",
    "supplements_requested",
    "closed_multi_supplement",
    "online_with_result",
    "digitised_with_result",
    "reused",
    "handling_hours",
)


# The counters of the dossiers closed with a result (early, on time, late): 2.2's and 4.1's
# denominator.
WITH_RESULT_COLUMNS = tuple(CLOSED_COUNTER[outcome] for outcome in sorted(WITH_RESULT))


STOCK_FIGURES = ("carried_over", "open_end", "overdue_end", "open_multi_supplement")


@dataclass
class Figures:
    """The counts the indicators read, for one unit or the sum over a subtree."""

    received_online: int = 0
    received_direct: int = 0
    received_postal: int = 0
    closed_early: int = 0
    closed_on_time: int = 0
    closed_late: int = 0
    withdrawn: int = 0
    digitised: int = 0
    result_electronic: int = 0
    supplements_requested: int = 0
    closed_multi_supplement: int = 0  # closed within deadline after 2+ supplement requests
    open_multi_supplement: int = 0  # open within deadline at the end after 2+ requests
    online_with_result: int = 0  # received online, counted by 3.3
    digitised_with_result: int = 0  # received digitised, with an electronic result
    reused: int = 0  # received with a component reused from the store or exchanged
    handling_hours: int = 0  # of the dossiers closed with a result (2.2)
    carried_over: int = 0
    open_end: int = 0
    overdue_end: int = 0
    online_procedures: set[int] = field(default_factory=set)  # received online in the period
    ratings: Counter[int] = field(default_factory=Counter)  # level → count
    # 2.2 by procedure (for a subtree's scores only): [handling hours, closed with a result]
    handling: dict[int, list[int]] = field(default_factory=dict)

    def add(self, other: Figures) -> None:
        for name in (*FLOW_COLUMNS, *STOCK_FIGURES):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.online_procedures |= other.online_procedures
        self.ratings.update(other.ratings)
        for procedure_id, (hours, closed) in other.handling.items():
            mine = self.handling.setdefault(procedure_id, [0, 0])
            mine[0] += hours
            mine[1] += closed

    @property
    def received(self) -> int:
        """Received in the period (form 06 columns 4 + 5)."""
        return self.received_online + self.received_direct + self.received_postal

    @property
    def handled(self) -> int:
        """Received in the period or carried over (form 06 column 3)."""
        return self.received + self.carried_over

    @property
    def closed_with_result(self) -> int:
        return sum(getattr(self, name) for name in WITH_RESULT_COLUMNS)

    @property
    def on_time(self) -> int:
        """Closed early or on time (withdrawals included) or open within deadline at the
        end: form 06 columns 8 + 9 + 12."""
        within = self.open_end - self.overdue_end
        return self.closed_early + self.closed_on_time + self.withdrawn + within

    @property
    def on_time_766(self) -> int:
        """Decision 766 indicator 2.1: `on_time` less the dossiers closed within deadline,
        or open within deadline at the end, after two or more supplement requests (more
        than one request = late)."""
        return self.on_time - self.closed_multi_supplement - self.open_multi_supplement

    @property
    def late(self) -> int:
        """Closed late or overdue at the end: form 06 columns 10 + 13."""
        return self.closed_late + self.overdue_end


def day_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The Hà Nội midnights that open the first day and close the last day."""
    tz = timezone.get_default_timezone()
    return (
        dt.datetime.combine(start, dt.time(), tzinfo=tz),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=tz),
    )


def figures_by_unit(
    units: QuerySet[Unit],
    start: dt.date,
    end: dt.date,
    *,
    now: dt.datetime,
    per_unit: bool = True,
) -> dict[int, Figures]:
    """The figures of every unit of `units` (each unit alone, not its subtree), for the
    Hà Nội days `start` to `end`; with `per_unit=False`, their sum under the key 0.

    Per unit: the units' ids, five queries on the rollups (six for a period reaching
    today) — the flows and stocks grouped by unit, the unit × procedure pairs with online
    receptions (for 3.2) — and one on the ratings. Summed: four on the rollups, grouped by
    procedure."""
    subquery = units.values("pk")
    # For the units of a ranking, their ids: PostgreSQL then reads the running totals and
    # days of those units through the (start, unit) and (day, unit) indexes, where for the
    # sub-select on paths it expects one unit and probes unit by unit (a province's running
    # totals 5 ms instead of 15). Not for the live stocks, where it chose parallel plans.
    ids: Any = list(units.values_list("pk", flat=True)) if per_unit else subquery
    through = kept_through()
    columns = (*FLOW_COLUMNS, *live.STOCK_COLUMNS)
    today = timezone.localtime(now, timezone.get_default_timezone()).date()
    # nothing is received or closed after today: a period reaching past today ends today
    after = min(end, today) + dt.timedelta(days=1)
    by = ("unit_id",) if per_unit else ("procedure_id",)
    at_start, after_start = sums_around(ids, start, through, columns, by)
    at_end, after_end = sums_around(ids, after, through, columns, by)
    out: dict[int, Figures] = {}

    def of(unit_id: int) -> Figures:
        return out.setdefault(unit_id if per_unit else 0, Figures())

    def online_in_period(key: Key, a: dict[str, int], b: dict[str, int]) -> None:
        if a.get("received_online", 0) - b.get("received_online", 0) > 0:
            of(key[0]).online_procedures.add(key[-1])

    for key in at_end.keys() | at_start.keys():
        figures = of(key[0])
        a, b = at_end.get(key, {}), at_start.get(key, {})
        for c in FLOW_COLUMNS:
            setattr(figures, c, getattr(figures, c) + a.get(c, 0) - b.get(c, 0))
        if not per_unit:
            online_in_period(key, a, b)
            closed = sum(a.get(c, 0) - b.get(c, 0) for c in WITH_RESULT_COLUMNS)
            if closed:
                hours = a.get("handling_hours", 0) - b.get("handling_hours", 0)
                figures.handling[key[-1]] = [hours, closed]
    if per_unit:
        pairs = ("unit_id", "procedure_id")
        for unit_id, procedure_id in grown(ids, start, after, through, "received_online", pairs):
            of(unit_id).online_procedures.add(procedure_id)
    for key, values in after_start.items():
        of(key[0]).carried_over += values.get("open_change", 0)
    # the stocks at the start of the day after the period or, for a period reaching
    # today, at `now` (those at the start of tomorrow, brought back to now)
    ending = (
        after_end
        if end < today
        else live.stocks(subquery, now, by, through=through, at_midnight=after_end)
    )
    for key, values in ending.items():
        figures = of(key[0])
        if end < today:
            figures.open_end += values.get("open_change", 0)
            figures.overdue_end += values.get("overdue_change", 0)
        else:
            figures.open_end += values["open"]
            figures.overdue_end += values["overdue"]
    for unit_id, _dossier in open_after_requests(subquery, end, now):
        of(unit_id).open_multi_supplement += 1
    # order_by(): the facts' default ordering would join the dossier table
    fact_unit = (
        DossierFact.objects.filter(dossier_id=OuterRef("dossier_id")).order_by().values("unit_id")
    )
    rated = ratings_in(subquery, start, end).annotate(fact_unit=Subquery(fact_unit[:1]))
    for unit_id, level, n in (
        rated.values("fact_unit", "level")
        .annotate(n=Count("pk"))
        .values_list("fact_unit", "level", "n")
    ):
        of(unit_id).ratings[level] += n
    return out


def open_after_requests(
    units: QuerySet[Any], end: dt.date, now: dt.datetime
) -> list[tuple[int, int]]:
    """(unit, dossier) of the dossiers open and within deadline at the end of the day
    `end` — at `now` for a period reaching today — after two or more supplement requests
    made by then: late for 2.1, though form 06 counts them within deadline.

    Not a rollup: the facts flagged `multi_supplement` open at that moment, through their
    own partial index (`fact_multi_supplement`: closed on or after that day, or still
    open), few next to the open stock; each is judged as form 06 judges it then — overdue
    now when running past its appointment (live.py), overdue at a past end when its stock
    changes up to the next day say so (projection.changes_of)."""
    today = live.today_of(now)
    if end >= today:
        last, moment, opened = today, now, live.open_at(now)
    else:
        last, moment = end, day_bounds(end, end)[1]
        opened = Q(received_at__lt=moment) & (Q(closed_at__isnull=True) | Q(closed_at__gte=moment))
    rows = (
        DossierFact.objects.filter(unit__in=units, multi_supplement=True)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=last))
        .filter(opened)
        .order_by()
    )
    out = []
    for row in rows:
        if sum(1 for day in row.supplement_days if day <= last.isoformat()) < 2:
            continue
        if end >= today:
            overdue = row.paused_at is None and row.due_at is not None and row.due_at < now
        else:
            after = last + dt.timedelta(days=1)
            overdue = sum(c[3] for c in changes_of(from_row(row)) if c[0] <= after) > 0
        if not overdue:
            out.append((row.unit_id, row.dossier_id))
    return out


def ratings_in(units: QuerySet[Any], start: dt.date, end: dt.date) -> QuerySet[Rating]:
    """Ratings given in the period for dossiers of `units`: the ratings of the period whose
    dossier has a fact of those units, matched by the dossier key (the facts' primary key),
    never through the dossier table."""
    since, until = day_bounds(start, end)
    facts = DossierFact.objects.filter(unit__in=units).values("dossier_id")
    return Rating.objects.filter(
        created_at__gte=since, created_at__lt=until, dossier_id__in=facts
    ).order_by()


# --- Catalogue -------------------------------------------------------------------------


@dataclass(frozen=True)
class CatalogueEntry:
    procedure_id: int
    code: str
    name: str
    unit_kind: str
    online: bool
    complete: bool


def catalogue_on(day: dt.date) -> list[CatalogueEntry]:
    """The published version of each procedure in force on `day` (one query)."""
    versions = (
        ProcedureVersion.objects.filter(status=VersionStatus.PUBLISHED, effective_from__lte=day)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gt=day))
        .annotate(has_components=Exists(Component.objects.filter(version=OuterRef("pk"))))
        .order_by("procedure_id", "-effective_from", "-number")
        .values(
            "procedure_id",
            "procedure__code",
            "name",
            "competent_unit_kind",
            "online_mode",
            "sequence",
            "manner",
            "applicants",
            "implementing_agency",
            "competent_authority",
            "time_limit_value",
            "has_components",
        )
    )
    seen: set[int] = set()
    entries: list[CatalogueEntry] = []
    for v in versions:
        if v["procedure_id"] in seen:
            continue
        seen.add(v["procedure_id"])
        complete = bool(
            v["name"]
            and v["sequence"].strip()
            and v["manner"].strip()
            and v["has_components"]
            and v["time_limit_value"] is not None
            and v["applicants"].strip()
            and (v["implementing_agency"].strip() or v["competent_authority"].strip())
        )
        entries.append(
            CatalogueEntry(
                procedure_id=v["procedure_id"],
                code=v["procedure__code"],
                name=v["name"],
                unit_kind=v["competent_unit_kind"],
                online=v["online_mode"] != OnlineMode.NONE,
                complete=complete,
            )
        )
    return entries


# --- Scores ----------------------------------------------------------------------------


@dataclass
class Indicator:
    """One indicator's result for a unit and a period."""

    definition: Definition
    numerator: int | None = None
    denominator: int | None = None
    value: float | None = None  # a share, 0–1
    max_points: float | None = None  # its share of the group's points
    points: float | None = None
    drill: dict[str, str] = field(default_factory=dict)  # part → label (links to dossiers)
    details: list[str] = field(default_factory=list)
    text: str = ""  # the value as shown, when it is not a share (2.2: days)
    details_title: str = ""  # the heading of `details`, when not the procedures that fail

    @property
    def scored(self) -> bool:
        return self.definition.status in Status.SCORED and self.value is not None

    @property
    def status_label(self) -> str:
        return str(Status.LABELS[self.definition.status])

    @property
    def percent(self) -> float | None:
        return None if self.value is None else 100 * self.value


@dataclass
class GroupScore:
    group: Group
    indicators: list[Indicator]
    points: float | None  # None when no indicator of the group could be scored


@dataclass
class Scores:
    unit: Unit
    start: dt.date
    end: dt.date
    groups: list[GroupScore]
    figures: Figures
    total: float | None
    total_max: int  # the maxima of the groups that could be scored

    def indicator(self, code: str) -> Indicator:
        for group in self.groups:
            for indicator in group.indicators:
                if indicator.definition.code == code:
                    return indicator
        raise KeyError(code)


def _share(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def _days(hours: int, closed: int) -> str:
    """Hours per dossier as days, to one decimal (half up), in the language's format."""
    days = (Decimal(hours) / (closed * 24)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return str(_("%(days)s ngày") % {"days": number_format(days, 1)})


def _handling_time(ind: Indicator, f: Figures, catalogue: Iterable[CatalogueEntry]) -> None:
    """2.2: the average handling time of the dossiers closed with a result, overall and by
    procedure (information only: no value, no points)."""
    closed = f.closed_with_result
    if not closed:
        return
    ind.numerator, ind.denominator = f.handling_hours, closed
    ind.text = _days(f.handling_hours, closed)
    names = {e.procedure_id: f"{e.code} {e.name}" for e in catalogue}
    lines = []
    for procedure_id, (hours, n) in f.handling.items():
        name = names.get(procedure_id, f"#{procedure_id}")
        count = ngettext("%(n)s hồ sơ", "%(n)s hồ sơ", n) % {"n": n}
        lines.append((name, f"{name}: {_days(hours, n)} ({count})"))
    ind.details = [line for _name, line in sorted(lines)]
    ind.details_title = str(_("Theo từng thủ tục"))


def evaluate(
    unit: Unit,
    start: dt.date,
    end: dt.date,
    figures: Figures,
    catalogue: Iterable[CatalogueEntry],
    kinds: Iterable[str],
) -> Scores:
    """The scores of `unit`'s subtree from its figures and the catalogue entries of the unit
    kinds found in it (no query)."""
    kinds = set(kinds)
    procedures = [e for e in catalogue if e.unit_kind in kinds]
    online = [e for e in procedures if e.online]
    used = [e for e in online if e.procedure_id in figures.online_procedures]
    f = figures
    rated = sum(f.ratings.values())
    dissatisfied = f.ratings[1] + f.ratings[2]
    results: dict[str, Indicator] = {}
    for d in DEFINITIONS:
        results[d.code] = Indicator(d)

    def put(code: str, numerator: int, denominator: int, **drill: str) -> None:
        ind = results[code]
        ind.numerator, ind.denominator = numerator, denominator
        ind.value = _share(numerator, denominator)
        ind.drill = dict(drill)

    put("1.3", sum(e.complete for e in procedures), len(procedures))
    results["1.3"].details = [f"{e.code} {e.name}" for e in procedures if not e.complete]
    put("2.1", f.on_time_766, f.handled, dat=str(_("Hồ sơ được tính")), mau=str(_("Mẫu số")))
    results["2.1"].drill["tre"] = str(_("Hồ sơ quá hạn"))
    # The 2.1 "bo_sung" part (within deadline after two or more supplement requests,
    # counted late) is in `tre`; no link of its own until the drill-down page has its heading.
    put("3.1", len(online), len(procedures))
    results["3.1"].details = [f"{e.code} {e.name}" for e in procedures if not e.online]
    put("3.2", len(used), len(online), dat=str(_("Hồ sơ trực tuyến trong kỳ")))
    results["3.2"].details = [
        f"{e.code} {e.name}" for e in online if e.procedure_id not in f.online_procedures
    ]
    put(
        "3.3",
        f.online_with_result,
        f.received,
        dat=str(_("Hồ sơ trực tuyến được tính")),
        mau=str(_("Mẫu số")),
    )
    put(
        "4.1",
        f.result_electronic,
        f.closed_with_result,
        dat=str(_("Hồ sơ có kết quả điện tử")),
        mau=str(_("Mẫu số")),
    )
    put(
        "4.2",
        f.digitised_with_result,
        f.received,
        dat=str(_("Hồ sơ số hóa đầu vào và kết quả")),
        mau=str(_("Mẫu số")),
    )
    put(
        "4.3",
        f.reused,
        f.received,
        dat=str(_("Hồ sơ tái sử dụng dữ liệu")),
        mau=str(_("Mẫu số")),
    )
    _handling_time(results["2.2"], f, catalogue)
    satisfaction = results["5.4"]
    if f.handled:
        late_share = f.late / f.handled
        dissatisfied_share = dissatisfied / rated if rated else 0.0
        satisfaction.value = max(0.0, 1.0 - late_share - dissatisfied_share)
        satisfaction.numerator, satisfaction.denominator = f.late, f.handled
        satisfaction.drill = {
            "tre": str(_("Hồ sơ quá hạn")),
            "khong_hai_long": str(_("Hồ sơ bị đánh giá không hài lòng")),
        }
    satisfaction.details = [
        str(_("Đánh giá trong kỳ: %(n)d; không hài lòng, rất không hài lòng: %(bad)d"))
        % {"n": rated, "bad": dissatisfied}
    ]

    groups: list[GroupScore] = []
    for group in GROUPS:
        indicators = [results[d.code] for d in DEFINITIONS if d.group == group.number]
        scored = [i for i in indicators if i.scored]
        weight = sum(WEIGHTS[i.definition.code] for i in scored)
        points: float | None = None
        if scored and weight > 0:
            points = 0.0
            for i in scored:
                i.max_points = group.max_points * WEIGHTS[i.definition.code] / weight
                threshold = i.definition.threshold or 0.0
                i.points = score(i.value or 0.0, threshold, i.max_points)
                points += i.points
        groups.append(GroupScore(group, indicators, points))
    scored_groups = [g for g in groups if g.points is not None]
    total = sum(g.points for g in scored_groups if g.points is not None) if scored_groups else None
    return Scores(
        unit=unit,
        start=start,
        end=end,
        groups=groups,
        figures=figures,
        total=total,
        total_max=sum(g.group.max_points for g in scored_groups),
    )


def subtree_units(unit: Unit) -> QuerySet[Unit]:
    return Unit.objects.filter(path__startswith=unit.path)


@report_reads
def build_scores(
    unit: Unit, start: dt.date, end: dt.date, *, now: dt.datetime | None = None
) -> Scores:
    """Decision 766 scores of `unit` and every unit below it for the days `start`–`end`."""
    if end < start:
        raise ValueError("end before start")
    now = now or timezone.now()
    units = subtree_units(unit)
    kinds = set(units.order_by().values_list("kind", flat=True).distinct())
    total = Figures()
    for figures in figures_by_unit(units, start, end, now=now, per_unit=False).values():
        total.add(figures)
    return evaluate(unit, start, end, total, catalogue_on(end), kinds)
