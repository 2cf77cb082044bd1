"""The notices Hunan's rules name (受理通知书, 不予受理通知书, 审查意见通知书), written from the registry's
data in the applicant's language as DOCX files, so that officials stop typing them."""

import io
from datetime import date

from docx import Document as DocxDocument
from docx.oxml.ns import qn
from docx.shared import Pt

from gi_registry.core.errors import Conflict
from gi_registry.labels.mark_models import MarkApplicationPublic, NoticeKind

TITLES = {
    NoticeKind.acceptance: (
        "地理标志专用标志使用申请受理通知书",
        "Notice of acceptance of an application to use the GI special mark",
    ),
    NoticeKind.non_acceptance: (
        "地理标志专用标志使用申请不予受理通知书",
        "Notice of non-acceptance of an application to use the GI special mark",
    ),
    NoticeKind.review_opinions: (
        "地理标志专用标志使用申请审查意见通知书",
        "Notice of review opinions on an application to use the GI special mark",
    ),
}
KIND_WORDS = {
    "first_use": ("使用申请", "application to use the mark"),
    "change": ("变更申请", "change application"),
}


def _body(kind: NoticeKind, application: MarkApplicationPublic, zh: bool) -> list[str]:
    what = KIND_WORDS[application.kind.value][0 if zh else 1]
    filed = application.submitted_at.date().isoformat()
    gi, number, reason = application.indication_name_zh, application.id, application.last_reason or ""
    suspended = application.status.value.endswith("corrections")
    if zh:
        subject = f"你单位于 {filed} 提交的「{gi}」地理标志专用标志{what}（编号 {number}）"
        texts = {
            NoticeKind.acceptance: [
                f"{subject}，经审查符合受理条件，于 {application.accepted_on} 予以受理。",
                "我局将依规定进行初审和实地核查，请保持联系方式畅通。",
            ],
            NoticeKind.non_acceptance: [f"{subject}不予受理。", f"理由：{reason}"],
            NoticeKind.review_opinions: [
                f"经审查，{subject}的审查意见如下：",
                reason,
                "请按审查意见补正后重新提交；补正期间审查时限中止。" if suspended else "",
            ],
        }
    else:
        subject = f"your {what} for the GI special mark of {gi} (no. {number}), filed on {filed},"
        texts = {
            NoticeKind.acceptance: [
                f"On review, {subject} meets the conditions for acceptance and was accepted on "
                f"{application.accepted_on}.",
                "The bureau will carry out the initial review and the on-site check as the rules provide.",
            ],
            NoticeKind.non_acceptance: [f"On review, {subject} is not accepted.", f"Reason: {reason}"],
            NoticeKind.review_opinions: [
                f"On review, the opinions on {subject} are:",
                reason,
                "Please correct the application as these opinions say and resubmit it; the review period "
                "is suspended until then."
                if suspended
                else "",
            ],
        }
    return texts[kind]


def notice_docx(
    kind: NoticeKind, application: MarkApplicationPublic, *, producer_name: str, bureau: str, today: date
) -> bytes:
    """The notice as a DOCX file in the application's language; 409 when its facts are not there yet."""
    if kind not in application.notices:
        raise Conflict(f"There is no {kind.value} notice for this application in its present state.")
    zh = application.lang == "zh"
    document = DocxDocument()
    style = document.styles["Normal"]
    style.font.name = "Noto Serif CJK SC"
    style.font.size = Pt(12)
    # Word picks the East Asian font from its own attribute; without it Chinese text falls back per viewer.
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "Noto Serif CJK SC")
    document.add_heading(TITLES[kind][0 if zh else 1], level=1)
    document.add_paragraph(f"{producer_name}：" if zh else f"To {producer_name}:")
    for paragraph in _body(kind, application, zh):
        if paragraph:
            document.add_paragraph(paragraph)
    document.add_paragraph(bureau)
    document.add_paragraph(today.isoformat())
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
