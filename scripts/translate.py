"""Fill English translations into motcua/locale/en/LC_MESSAGES/django.po from a mapping file
and compile every .po to .mo with polib (so no GNU gettext is needed to build the catalogue).

    python scripts/translate.py [MAPPING.py]   # MAPPING defines a dict T {vietnamese: english}
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "motcua" / "locale"


def main() -> int:
    mapping: dict[str, str] = runpy.run_path(sys.argv[1])["T"] if len(sys.argv) > 1 else {}
    en = LOCALE / "en" / "LC_MESSAGES" / "django.po"
    po = polib.pofile(str(en))
    for entry in po:
        if entry.msgid in mapping:
            entry.msgstr = mapping[entry.msgid]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    po.save()
    for path in LOCALE.glob("*/LC_MESSAGES/django.po"):
        polib.pofile(str(path)).save_as_mofile(str(path.with_suffix(".mo")))
    missing = [e.msgid for e in po if not e.translated()]
    for msgid in missing:
        print("untranslated:", msgid)  # noqa: T201
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
