import pytest

from phananh.processing.templates import KINDS, templates_for
from phananh.report.categories import all_categories
from phananh.shared.errors import InvalidInput


@pytest.mark.parametrize("category", all_categories(), ids=lambda category: category.code)
def test_every_field_has_bilingual_templates_for_every_step(category):
    templates = templates_for(category.code)
    assert {template["kind"] for template in templates} == set(KINDS)
    for template in templates:
        assert set(template["text"]) == {"vi", "en"}
        assert template["text"]["vi"].strip() and template["text"]["en"].strip()
        assert template["text"]["vi"] != template["text"]["en"]
    assert len({template["id"] for template in templates}) == len(templates)


def test_a_common_field_offers_its_own_wording_first():
    first = templates_for("roads")[0]
    assert first["id"].startswith("roads.")
    assert "ổ gà" in templates_for("roads")[1]["text"]["vi"]


def test_an_unknown_field_has_no_templates():
    with pytest.raises(InvalidInput) as refused:
        templates_for("no-such-field")
    assert refused.value.code == "unknown_category"
