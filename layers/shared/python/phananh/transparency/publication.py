"""The publication gate: whether a report is public as soon as it is routed, or waits for a
coordinator's review first. Either way it is routed and worked at once; only the public waits.

A report waits when its field is set to be reviewed first (`Category.review_first`), or when the
text the public would read (description, address) seems to carry a phone number, an e-mail address
or an ID number (phananh.report.personal_data). A coordinator then publishes it, or unpublishes it with a
reason (phananh.processing.commands), and may take down a published report the same way.
"""

from __future__ import annotations

from phananh.report.categories import get_category
from phananh.report.lifecycle import Publication
from phananh.report.model import Report
from phananh.report.personal_data import PersonalData, personal_data_in
from phananh.shared.errors import Text, bilingual

REVIEW_FIRST = "review_first"
HOLD_GROUNDS: dict[str, Text] = {
    REVIEW_FIRST: bilingual("Lĩnh vực cần duyệt trước khi công khai", "The field is reviewed before publication"),
    PersonalData.PHONE: bilingual("Nội dung có thể chứa số điện thoại", "The text may carry a phone number"),
    PersonalData.EMAIL: bilingual("Nội dung có thể chứa địa chỉ email", "The text may carry an e-mail address"),
    PersonalData.NATIONAL_ID: bilingual("Nội dung có thể chứa số CCCD/CMND", "The text may carry an ID number"),
}


def held_for(report: Report) -> tuple[str, ...]:
    """Why the report may not be public before a coordinator reviews it (empty: it may)."""
    category = get_category(report.category_code)
    grounds = [REVIEW_FIRST] if category is not None and category.review_first else []
    found = personal_data_in(report.description) | personal_data_in(report.address)
    grounds += [str(kind) for kind in PersonalData if kind in found]
    return tuple(grounds)


def at_routing(report: Report) -> tuple[Publication, tuple[str, ...]]:
    """The publication a report gets when it is routed, and the grounds it is held on."""
    grounds = held_for(report)
    return (Publication.HELD if grounds else Publication.PUBLISHED), grounds
