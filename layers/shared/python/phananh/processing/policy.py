"""Who may act on which report. Deny by default: an officer or unit head acts on the reports their
unit owns, a coordinator on every report, nobody on anything else; and a report one may not act on
looks exactly like a report that does not exist."""

from __future__ import annotations

from phananh.processing.principal import Principal
from phananh.processing.sign_in import Forbidden
from phananh.report.lifecycle import BEING_HANDLED, OPEN_STATES
from phananh.report.model import Report
from phananh.shared.errors import InvalidInput, NotFound, Text, bilingual

# Why a coordinator may open a reporter's contact: one of these, stated with each view (recorded).
CONTACT_PURPOSES: dict[str, Text] = {
    "clarify_report": bilingual("Hỏi thêm người phản ánh về nội dung", "Ask the reporter about the report"),
    "verify_location": bilingual("Xác minh vị trí", "Verify the location"),
    "assess_rejection": bilingual("Xem xét từ chối phản ánh", "Decide whether to reject the report"),
    "assess_duplicate": bilingual("Xem xét gộp phản ánh trùng", "Decide whether it duplicates another"),
}
# What a view by the owner unit is for, when its officer states nothing more precise.
OWNER_HANDLING = "handle_report"


def may_act(principal: Principal, report: Report) -> bool:
    if principal.is_coordinator:
        return True
    return report.owner_unit_id is not None and report.owner_unit_id == principal.unit_id


def visible_or_not_found(principal: Principal, report: Report | None) -> Report:
    if report is None or not may_act(principal, report):
        raise NotFound()
    return report


def leads_unit(principal: Principal, unit_id: str | None) -> bool:
    """Whether `principal` leads the work of `unit_id`: its unit head, or any coordinator."""
    if principal.is_coordinator:
        return True
    return unit_id is not None and unit_id == principal.unit_id and "unit_head" in principal.roles


def may_assign_officer(principal: Principal, report: Report) -> bool:
    """Who names the officer that works a report: the owner unit's head, or a coordinator."""
    return report.status in OPEN_STATES and leads_unit(principal, report.owner_unit_id)


def may_ask_reporter(principal: Principal, report: Report) -> bool:
    """Who asks the reporter a question: the owner unit's officers and head, while it works the report
    (a coordinator of another unit assigns, rejects or merges; the owner unit asks)."""
    return report.status in OPEN_STATES and report.owner_unit_id is not None and (
        report.owner_unit_id == principal.unit_id
    )


def require_unit_lead(principal: Principal, unit_id: str) -> None:
    if not leads_unit(principal, unit_id):
        raise Forbidden(bilingual(
            "Chỉ lãnh đạo đơn vị hoặc điều phối viên được thực hiện thao tác này.",
            "Only the unit's head or a coordinator may do this.",
        ))


def require_coordinator(principal: Principal) -> None:
    if not principal.is_coordinator:
        raise Forbidden(
            bilingual("Chỉ điều phối viên được thực hiện thao tác này.", "Only coordinators may do this.")
        )


def check_contact_purpose(purpose: str | None) -> str | None:
    if purpose is not None and purpose not in CONTACT_PURPOSES:
        raise InvalidInput(
            "invalid_purpose",
            bilingual(f"Mục đích phải là một trong: {', '.join(CONTACT_PURPOSES)}.",
                      f"purpose must be one of: {', '.join(CONTACT_PURPOSES)}."),
            field="purpose",
        )
    return purpose


def contact_purpose(principal: Principal, report: Report, purpose: str | None) -> str | None:
    """The purpose for which `principal` may see the reporter's contact now, or None if they may not.

    Never without the reporter's consent. The owner unit sees it while it holds the report; a
    coordinator of another unit only for a report still being handled (which they may assign,
    reject or merge), and only with a stated purpose (`CONTACT_PURPOSES`).
    """
    purpose = check_contact_purpose(purpose)
    if not (report.contact_provided and report.contact_shared and report.contact_ciphertext):
        return None
    if report.owner_unit_id is not None and report.owner_unit_id == principal.unit_id:
        return purpose or OWNER_HANDLING
    if principal.is_coordinator and purpose is not None and report.status in BEING_HANDLED:
        return purpose
    return None
