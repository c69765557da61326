"""The electronic result (bản điện tử của kết quả) for procedures whose result may be
issued electronically, when the officer attaches no file: a document stating the result
they recorded, which the approving officer's digital signature makes authentic."""

from __future__ import annotations

from motcua.documents import links
from motcua.documents.pdf import (
    FormPDF,
    Signature,
    format_time,
    letterhead_for,
    local,
    place_name,
)
from motcua.dossiers.models import Dossier, DossierEvent


def render_result(dossier: Dossier, event: DossierEvent) -> bytes:
    version = dossier.procedure_version
    unit = dossier.competent_unit
    title = "Kết quả giải quyết thủ tục hành chính"
    pdf = FormPDF(title=title, author=unit.name, code=dossier.code)
    number = dossier.result_number or f"{dossier.code}/KQ"
    pdf.national_header(
        letterhead_for(unit, number), place=place_name(unit), day=local(event.at).date()
    )
    pdf.title_block(title, subtitle="(Bản điện tử có chữ ký số)")
    pdf.labelled("Thủ tục", f"{version.name} (mã {version.procedure.code})")
    pdf.labelled("Mã hồ sơ", dossier.code, bold_value=True)
    pdf.labelled("Người yêu cầu", dossier.applicant_name)
    if dossier.applicant_identity_number:
        pdf.labelled("Số định danh", dossier.applicant_identity_number)
    pdf.labelled("Kết quả", version.result_name)
    pdf.labelled("Số, ký hiệu", dossier.result_number)
    pdf.labelled("Nội dung", dossier.result_summary)
    pdf.labelled("Thời điểm có kết quả", format_time(event.at))
    pdf.paragraph(
        f"{unit.name} xác nhận kết quả giải quyết nêu trên. Bản điện tử này có giá trị "
        "khi chữ ký số của người có thẩm quyền còn nguyên vẹn; kiểm tra tại "
        f"{links.verification_url()}."
    )
    signer = event.actor.get_full_name() if event.actor else ""
    pdf.signatures([Signature(title="Người ký", name=signer, note="(Ký số)")])
    pdf.qr_box(links.tracking_url(dossier), [f"Mã tra cứu: {dossier.lookup_secret}"])
    return pdf.to_bytes()
