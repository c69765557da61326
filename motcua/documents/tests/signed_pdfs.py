"""Helpers for the signing and verification tests: a small fpdf2 PDF, and poppler's
`pdfsig` (skipped without it on a developer's machine, required under CI)."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from fpdf import FPDF

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def small_pdf(text: str = "Giấy xác nhận — Ủy ban nhân dân phường A") -> bytes:
    """A one-page PDF made the way the forms are: fpdf2 with an embedded TTF font."""
    pdf = FPDF()
    pdf.set_title("Phiếu thử nghiệm")
    pdf.add_page()
    pdf.add_font("DejaVu", fname=FONT)
    pdf.set_font("DejaVu", size=12)
    pdf.multi_cell(0, 8, text)
    return bytes(pdf.output())


def flip_byte(data: bytes, marker: bytes) -> bytes:
    """Change one byte inside the first occurrence of `marker` (which must be signed)."""
    at = data.index(marker)
    changed = bytearray(data)
    changed[at] = changed[at] ^ 0x01
    return bytes(changed)


def _pdfsig_required() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true"}


def pdfsig(data: bytes, tmp_path: os.PathLike[str]) -> str:
    """poppler's report on the signatures of `data`."""
    executable = shutil.which("pdfsig")
    if executable is None:
        message = "pdfsig not found (Debian package 'poppler-utils')"
        if _pdfsig_required():
            pytest.fail(message + " — required under CI")
        pytest.skip(message)
    path = os.path.join(tmp_path, "signed.pdf")
    with open(path, "wb") as handle:
        handle.write(data)
    result = subprocess.run(
        [executable, path], capture_output=True, text=True, timeout=60, check=False
    )
    return result.stdout + result.stderr
