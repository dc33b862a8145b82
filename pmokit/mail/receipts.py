"""The receipt the service sends after every processed submission: to the project's PM (the
register's e-mail, else the form's own PM e-mail), saying it was accepted and what it did, or
rejected with every issue and where it is, the feedback workbook attached."""

from __future__ import annotations

from pmokit.base.labels import Label
from pmokit.base.lifecycle import form_name
from pmokit.base.settings import Settings
from pmokit.ledger.submissions import IntakeResult
from pmokit.mail.message import Attachment, Mail, Section, valid_address
from pmokit.mail.texts import FOOTER

SUBJECT = {
    "accepted": Label("已接收：{form}{period}（{file}）", "Accepted: {form}{period} ({file})"),
    "rejected": Label("已退回，请修改后重新提交：{file}", "Returned, please correct: {file}"),
}
ACCEPTED = Label(
    "PMO 已接收您提交的 {form}（项目 {project}{period_in}），已记入台账。",
    "The PMO has accepted your {form} (project {project}{period_in}) and recorded it.",
)
MOVED = Label("项目状态：{before} → {after}", "Project state: {before} → {after}")
REJECTED = Label(
    "您提交的文件未通过校验，未记入台账。请按下列问题修改（附件为标注了问题单元格的反馈表），"
    "修改后重新放入共享文件夹的 inbox。",
    "Your file did not pass the checks and is not recorded. Please correct the issues below"
    " (the attached copy marks each cell), then drop it into the share's inbox again.",
)


def receipt_mail(
    result: IntakeResult,
    filed_as: str,
    pm_email: str | None,
    settings: Settings,
    feedback: Attachment | None = None,
) -> Mail | None:
    """The receipt of one processed file, filed on the share as `filed_as` (its path there,
    never reused: each file gets one receipt); None when no PM e-mail is known, or for a
    duplicate."""
    file_name = filed_as.rsplit("/", 1)[-1]
    if result.outcome not in SUBJECT or not valid_address(pm_email):
        return None
    lang = settings.mail_lang()
    form = form_name(result.report.form).text(lang) if result.report.form else ""
    period = result.period or ""  # an initiation or a change speaks for no week or month
    values = {
        "form": form,
        "period": f" {period}" if period else "",
        "period_in": Label("，", ", ").text(lang) + period if period else "",
        "file": file_name,
        "project": result.project or "—",
    }
    subject = SUBJECT[result.outcome].text(lang).format(**values)
    if result.outcome == "accepted":
        lines = [ACCEPTED.text(lang).format(**values)]
        lines += [MOVED.text(lang).format(before=a or "—", after=b) for a, b in result.moves]
        if result.report.issues:
            lines += result.report.summary(lang).splitlines()
    else:
        lines = [REJECTED.text(lang), *result.report.summary(lang).splitlines()]
    return Mail(
        "receipt",
        filed_as,
        pm_email.strip(),
        subject,
        subject,
        (Section("", tuple(lines)),),
        lang,
        attachments=(feedback,) if feedback else (),
        footer=FOOTER.text(lang),
        about={"project": result.project, "outcome": result.outcome},
    )
