"""What the applicant does online on their own dossier: answer a supplement request with
files, and withdraw the dossier while no result exists (NĐ 61/2018/NĐ-CP as amended, the
applicant's right to withdraw before the result; TT 03/2025/TT-VPCP form 02 for the
supplement request the answer completes).

Both are the desk's actions seen from the applicant's side: the answer resumes the clock
exactly as `receive_supplement` does (`resume_after_supplement`), the withdrawal closes the
dossier exactly as `withdraw` does, each in one transaction with its event.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.db.models import Max

from motcua.accounts.models import User
from motcua.catalog.models import CopyType
from motcua.documents import issuing
from motcua.documents.files import discard_files_on_failure
from motcua.documents.uploads import CheckedUpload, UploadRefused, check_upload
from motcua.dossiers.actions._base import now, require
from motcua.dossiers.actions.closing import _close_without_result
from motcua.dossiers.actions.intake import resume_after_supplement
from motcua.dossiers.errors import ActionRefused
from motcua.dossiers.locks import lock_dossier, lock_steps
from motcua.dossiers.models import Arrival, Dossier, DossierComponent, EventKind
from motcua.dossiers.status import DossierStatus

MAX_SUPPLEMENT_FILES = 10
RESULT_EXISTS = (
    "Hồ sơ đã có kết quả nên không thể rút nữa. Mời bạn nhận kết quả theo hình thức đã chọn."
)


def _own(applicant: User, dossier: Dossier) -> None:
    """Only the dossier's own applicant acts here (views have already answered 404)."""
    if dossier.applicant_id is None or dossier.applicant_id != applicant.pk:
        raise ActionRefused("Không tìm thấy hồ sơ.")


def _checked(files: Sequence[issuing.Upload]) -> list[CheckedUpload]:
    if not files:
        raise ActionRefused("Hãy chọn ít nhất một tệp giấy tờ bổ sung.")
    if len(files) > MAX_SUPPLEMENT_FILES:
        raise ActionRefused(f"Mỗi lần chỉ nộp được tối đa {MAX_SUPPLEMENT_FILES} tệp.")
    checked = []
    for f in files:
        try:
            checked.append(f if isinstance(f, CheckedUpload) else check_upload(f))
        except UploadRefused as refused:
            raise ActionRefused(refused.message) from None
    return checked


def has_result(dossier: Dossier) -> bool:
    return dossier.result_ready_at is not None or dossier.status in (
        DossierStatus.RESULT_READY,
        DossierStatus.RETURNED,
    )


@discard_files_on_failure
@transaction.atomic(durable=True)
def answer_supplement_online(
    dossier_id: int,
    *,
    applicant: User,
    files: Sequence[issuing.Upload],
    note: str = "",
    expected_version: int | None = None,
) -> Dossier:
    """The applicant answers a supplement request from their dossier page: the files
    (checked by content) are attached to the dossier as one new component marked as
    supplemented, and the dossier resumes exactly as when the desk receives a supplement —
    back to where it was, the paused working time added to its and its open steps' due
    times, a ledger line for each and the `supplement_received` event."""
    checked = _checked(files)
    dossier = lock_dossier(dossier_id)
    _own(applicant, dossier)
    require(applicant, dossier, "receive_supplement", expected_version)
    at = now()
    last = dossier.components.aggregate(last=Max("position"))["last"] or 0
    component = DossierComponent.objects.create(
        dossier=dossier,
        position=last + 1,
        name=f"Giấy tờ bổ sung lần {max(dossier.supplement_requests, 1)} (nộp trực tuyến)",
        copy_type=CopyType.ELECTRONIC,
        count=len(checked),
        supplemented_at=at,
        arrival=Arrival.UPLOADED,
    )
    documents = [
        issuing.attach_scan(component, f, actor=applicant, arrival=Arrival.UPLOADED)
        for f in checked
    ]
    resume_after_supplement(
        dossier,
        applicant,
        at,
        note,
        data={
            "online": True,
            "component": component.pk,
            "files": [d.filename for d in documents],
        },
    )
    return dossier


@discard_files_on_failure
@transaction.atomic(durable=True)
def withdraw_online(
    dossier_id: int, *, applicant: User, reason: str, expected_version: int | None = None
) -> Dossier:
    """The applicant withdraws their dossier online (status 7), with a reason, possible only
    while no result exists; open steps are cancelled and the dossier is closed, as when the
    desk records a written request (`withdraw`)."""
    if not reason.strip():
        raise ActionRefused("Hãy ghi lý do rút hồ sơ.")
    dossier = lock_dossier(dossier_id)
    lock_steps(dossier)
    _own(applicant, dossier)
    if has_result(dossier):
        raise ActionRefused(RESULT_EXISTS)
    require(applicant, dossier, "withdraw", expected_version)
    _close_without_result(
        dossier, applicant, DossierStatus.WITHDRAWN, EventKind.WITHDRAWN, reason.strip(), ""
    )
    return dossier
