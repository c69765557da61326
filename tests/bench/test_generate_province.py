"""The province generator of bench/generate_province.py, at a tiny size: the rollups its SQL
builds are exactly what the project's recount builds from the dossiers it wrote."""

from __future__ import annotations

import importlib.util
import unittest
from pathlib import Path
from types import ModuleType

from django.db import connection
from django.test import TestCase

from motcua.catalog.demo import load_demo_catalog
from motcua.demo.seed import SeedReport, seed_organisation
from motcua.dossiers.models import Dossier
from motcua.reports.folding import recount
from motcua.reports.models import DailyFlow, DossierFact, RunningTotal

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "generate_province.py"


def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_generate_province", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@unittest.skipUnless(
    connection.vendor == "postgresql",
    "the generator is set-based PostgreSQL SQL (generate_series, jsonb, AT TIME ZONE)",
)
class GenerateProvinceTests(TestCase):
    def test_the_generated_rollups_equal_a_recount(self) -> None:
        seed_organisation(SeedReport(), progress=False)
        load_demo_catalog(progress=False)
        bench = generator()
        _, counts = bench.generate(2000, progress=False, drop_indexes=False)

        assert Dossier.objects.count() == 2000
        received = Dossier.objects.filter(accepted_at__isnull=False).count()
        assert DossierFact.objects.count() == counts["facts"] == received > 1900
        assert DailyFlow.objects.count() == counts["daily_rows"] > 0
        assert RunningTotal.objects.count() == counts["total_rows"] > 0
        codes = Dossier.objects.values_list("code", flat=True)
        assert len(set(codes)) == 2000
        assert all(code.count("-") == 2 for code in codes)
        online = Dossier.objects.filter(channel="online").count()
        assert 0.5 < online / 2000 < 0.7
        assert Dossier.objects.filter(status="supplement_requested").exists()
        assert Dossier.objects.filter(supplement_requests=1, closed_at__isnull=False).exists()

        report = recount(write=False)
        assert report.dossiers == received
        assert report.difference == 0, report.summary()
        found = bench.check_units(bench.sample_units())
        assert found["facts_differing"] == found["rows_differing"] == 0
        assert found["totals_differing"] == 0
