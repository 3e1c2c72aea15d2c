"""The Tamil glossary (locale/ta/GLOSSARY.md): no forbidden variant in the catalog or the demo content."""

import re
from pathlib import Path

import polib
import pytest
import yaml
from django.conf import settings

GLOSSARY = Path(settings.BASE_DIR) / "locale" / "ta" / "GLOSSARY.md"
CATALOG = Path(settings.BASE_DIR) / "locale" / "ta" / "LC_MESSAGES" / "django.po"
DEMO = Path(settings.BASE_DIR) / "demo" / "content.yaml"
# A Tamil letter, vowel sign or virama: a variant glued to one is part of a longer word.
TAMIL = "\u0b80-\u0bff"


def glossary_rows():
    """The table's rows: (concept, preferred, [forbidden variants])."""
    rows = []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 3 or cells[0] in ("Concept", "---"):
            continue
        concept, preferred, forbidden = cells
        rows.append((concept, preferred, [variant.strip() for variant in forbidden.split(" · ")]))
    return rows


def variant_pattern(variant):
    """A whole word or phrase; with a trailing `*`, its inflected forms too."""
    inflected = variant.endswith("*")
    body = re.escape(variant.rstrip("*"))
    return re.compile(rf"(?<![{TAMIL}]){body}" + ("" if inflected else rf"(?![{TAMIL}])"))


def catalog_texts():
    for entry in polib.pofile(str(CATALOG)):
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            if text:
                yield f"django.po: {entry.msgid!r}", text


def demo_texts(value=None, where="content.yaml"):
    """Every string in the demo content, with where it is."""
    if value is None:
        value = yaml.safe_load(DEMO.read_text(encoding="utf-8"))
    if isinstance(value, dict):
        for key, item in value.items():
            yield from demo_texts(item, f"{where} {key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from demo_texts(item, f"{where}[{index}]")
    elif isinstance(value, str):
        yield where, value


ROWS = glossary_rows()


def test_the_glossary_names_the_recurring_terms():
    concepts = {concept for concept, _preferred, _forbidden in ROWS}
    assert {"clinic", "opening hours", "book (an appointment)", "consultation"} <= concepts
    for concept, preferred, forbidden in ROWS:
        assert preferred and all(forbidden), concept
        for variant in forbidden:  # a forbidden variant is never the preferred term itself
            assert not variant_pattern(variant).search(preferred), (concept, variant)


@pytest.mark.parametrize(("concept", "forbidden"), [(row[0], row[2]) for row in ROWS])
def test_no_forbidden_variant_in_the_catalog_or_the_demo_content(concept, forbidden):
    found = [
        f"{where}: {variant!r} in {text!r}"
        for where, text in [*catalog_texts(), *demo_texts()]
        for variant in forbidden
        if variant_pattern(variant).search(text)
    ]
    assert not found, f"{concept}: say it as the glossary prefers\n" + "\n".join(found)


def test_the_patterns_match_whole_words_and_inflections():
    assert variant_pattern("மருத்துவமனை*").search("கிளினிக் மருத்துவமனையின் பணி")
    assert variant_pattern("அனுப்பு").search("கோரிக்கையை அனுப்பு")
    assert not variant_pattern("அனுப்பு").search("கோரிக்கையை அனுப்புங்கள்")
    assert not variant_pattern("காட்டு").search("அனைத்தையும் காட்டுங்கள்")
