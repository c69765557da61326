"""The English catalogue is complete and the compiled .mo files match their .po sources.

`.ci/run` re-extracts the messages from the code first (`makemessages`), so a new
Vietnamese string without an English translation fails here.
"""

import gettext
from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parent.parent / "motcua" / "locale"
CATALOGUES = sorted(LOCALE.glob("*/LC_MESSAGES/django.po"))


def test_there_are_vietnamese_and_english_catalogues() -> None:
    assert {p.parent.parent.name for p in CATALOGUES} == {"vi", "en"}


def test_every_english_message_is_translated_and_none_is_fuzzy() -> None:
    po = polib.pofile(str(LOCALE / "en" / "LC_MESSAGES" / "django.po"))
    assert [e.msgid for e in po if not e.translated()] == []
    assert [e.msgid for e in po if "fuzzy" in e.flags] == []


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: p.parent.parent.name)
def test_the_compiled_catalogue_matches_its_source(po_path: Path) -> None:
    po = polib.pofile(str(po_path))
    with po_path.with_suffix(".mo").open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    for entry in po.translated_entries():
        if entry.msgid_plural:
            continue
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        assert compiled._catalog.get(key) == entry.msgstr, entry.msgid  # type: ignore[attr-defined]
