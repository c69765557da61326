"""The dossier's statuses and the moves between them (domain.md A3, B2.1).

The national portal's codes 1–10 live in `NATIONAL_CODE`, not in the names. "Overdue" is
never a status: it is derived from the due time. Inter-agency consultation, leader approval,
signing and registry numbering are steps inside `PROCESSING`.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db import models
from django.utils.translation import gettext_lazy as _


class DossierStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Mới nộp, chờ tiếp nhận")
    ACCEPTED = "accepted", _("Đã tiếp nhận")
    REFUSED = "refused", _("Từ chối tiếp nhận")
    PROCESSING = "processing", _("Đang giải quyết")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Chờ bổ sung hồ sơ")
    AWAITING_PAYMENT = "awaiting_payment", _("Chờ thực hiện nghĩa vụ tài chính")
    WITHDRAWN = "withdrawn", _("Đã rút hồ sơ")
    STOPPED = "stopped", _("Dừng giải quyết")
    RESULT_READY = "result_ready", _("Có kết quả, chờ trả")
    RETURNED = "returned", _("Đã trả kết quả")


S = DossierStatus

NATIONAL_CODE: Mapping[DossierStatus, int] = {
    S.SUBMITTED: 1,
    S.ACCEPTED: 2,
    S.REFUSED: 3,
    S.PROCESSING: 4,
    S.SUPPLEMENT_REQUESTED: 5,
    S.AWAITING_PAYMENT: 6,
    S.WITHDRAWN: 7,
    S.STOPPED: 8,
    S.RESULT_READY: 9,
    S.RETURNED: 10,
}

TRANSITIONS: Mapping[DossierStatus, frozenset[DossierStatus]] = {
    S.SUBMITTED: frozenset({S.ACCEPTED, S.REFUSED, S.SUPPLEMENT_REQUESTED, S.WITHDRAWN}),
    S.ACCEPTED: frozenset(
        {S.PROCESSING, S.SUPPLEMENT_REQUESTED, S.WITHDRAWN, S.STOPPED, S.RESULT_READY}
    ),
    S.PROCESSING: frozenset(
        {S.SUPPLEMENT_REQUESTED, S.AWAITING_PAYMENT, S.RESULT_READY, S.WITHDRAWN, S.STOPPED}
    ),
    # After the supplement the dossier goes back to where it was when it was asked for.
    S.SUPPLEMENT_REQUESTED: frozenset(
        {S.SUBMITTED, S.ACCEPTED, S.PROCESSING, S.WITHDRAWN, S.STOPPED}
    ),
    S.AWAITING_PAYMENT: frozenset({S.PROCESSING, S.RESULT_READY, S.WITHDRAWN, S.STOPPED}),
    S.RESULT_READY: frozenset({S.RETURNED, S.AWAITING_PAYMENT}),
    S.REFUSED: frozenset(),
    S.WITHDRAWN: frozenset(),
    S.STOPPED: frozenset(),
    S.RETURNED: frozenset(),
}

TERMINAL = frozenset(s for s, targets in TRANSITIONS.items() if not targets)
OPEN = frozenset(DossierStatus) - TERMINAL
# Processing is over (a result exists or the dossier was closed without one).
WITHOUT_RESULT = frozenset({S.SUBMITTED, S.ACCEPTED, S.PROCESSING, S.SUPPLEMENT_REQUESTED})
# The clock runs in these statuses; it stands still while the applicant supplements the
# dossier or fulfils a financial obligation (that time is not the agency's).
CLOCK_RUNNING = frozenset({S.ACCEPTED, S.PROCESSING})

COLOUR: Mapping[DossierStatus, str] = {
    S.SUBMITTED: "blue",
    S.ACCEPTED: "blue",
    S.REFUSED: "grey",
    S.PROCESSING: "amber",
    S.SUPPLEMENT_REQUESTED: "purple",
    S.AWAITING_PAYMENT: "purple",
    S.WITHDRAWN: "grey",
    S.STOPPED: "grey",
    S.RESULT_READY: "green",
    S.RETURNED: "green",
}


def can_move(source: str, target: str) -> bool:
    return DossierStatus(target) in TRANSITIONS[DossierStatus(source)]
