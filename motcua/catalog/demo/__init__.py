"""The demo catalogue: real procedures of Thanh Hóa after the 2025 reform (docs/demo-catalogue.md).

`catalog.json` is written in the interchange format of docs/catalog-format.md and loaded
through the same importer as any other catalogue, after the sample forms its components
name have been generated into the file storage (`forms.py`). Loading twice changes nothing:
identical versions are skipped and identical form files are kept.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from motcua.catalog.demo.forms import FormsReport, generate_forms
from motcua.catalog.interchange import ImportReport, import_catalog

CATALOG_FILE = Path(__file__).with_name("catalog.json")


def demo_catalog_data() -> dict[str, Any]:
    """The demo catalogue as the JSON document of the interchange format."""
    with CATALOG_FILE.open(encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


def load_demo_catalog(*, progress: bool = True) -> ImportReport:
    """Generate the sample forms, then import the demo catalogue (all or nothing)."""
    load_demo_forms()
    return import_catalog(demo_catalog_data(), progress=progress)


def load_demo_forms() -> FormsReport:
    """Write the sample declaration forms of the demo catalogue to the file storage."""
    return generate_forms()
