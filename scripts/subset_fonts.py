"""Rebuild the vendored PDF fonts: DejaVu Serif (regular, bold, italic) cut down with
fontTools' pyftsubset to what Vietnamese forms print, so that each file is about 60 KB and
a form renders in tens of milliseconds.

    python scripts/subset_fonts.py [SOURCE_DIR]   # default /usr/share/fonts/truetype/dejavu

The ranges: Basic Latin, Latin-1, Latin Extended-A, the horned letters Ơ ơ Ư ư (U+01A0–01B0),
combining marks U+0300–0323 (for text typed decomposed), Latin Extended Additional for
Vietnamese (U+1EA0–1EF9), general punctuation, ₫ and №, and the ballot boxes ☐ ☑ ☒.
Characters the source font does not have (DejaVu Serif lacks ₫ and the ballot boxes) are
simply left out; the layout draws check boxes and writes "đồng" instead.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset  # type: ignore[import-untyped]

SOURCE = Path("/usr/share/fonts/truetype/dejavu")
TARGET = Path(__file__).resolve().parent.parent / "motcua" / "documents" / "fonts"
FACES = {
    "DejaVuSerif.ttf": "DejaVuSerif.ttf",
    "DejaVuSerif-Bold.ttf": "DejaVuSerif-Bold.ttf",
    "DejaVuSerif-Italic.ttf": "DejaVuSerif-Italic.ttf",
}
UNICODES = ",".join(
    [
        "U+0020-007E",  # Basic Latin
        "U+00A0-00FF",  # Latin-1 Supplement
        "U+0100-017F",  # Latin Extended-A (Đ đ, Ĩ ĩ, Ũ ũ, Ă ă)
        "U+01A0-01B0",  # Ơ ơ Ư ư
        "U+0300-0323",  # combining accents and the dot below
        "U+1EA0-1EF9",  # Vietnamese letters with two marks
        "U+2010-2027",  # dashes, quotes, bullets, ellipsis
        "U+2030-203A",  # per mille, primes, angle quotes
        "U+20AB",  # ₫
        "U+2116",  # №
        "U+2610-2612",  # ☐ ☑ ☒
    ]
)


def main() -> int:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else SOURCE
    TARGET.mkdir(parents=True, exist_ok=True)
    for name, out in FACES.items():
        subset.main(
            [
                str(source / name),
                f"--unicodes={UNICODES}",
                f"--output-file={TARGET / out}",
                "--layout-features=*",
                "--name-IDs=*",
                "--name-languages=*",
                "--notdef-outline",
                "--no-hinting",
                "--desubroutinize",
            ]
        )
        print(f"{out}: {(TARGET / out).stat().st_size // 1024} KB")  # noqa: T201
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
