"""Base test case with the personas built once per class."""

from __future__ import annotations

from django.test import TestCase

from motcua.testing.personas import Personas, build_personas


class PersonaTestCase(TestCase):
    """A Django TestCase whose class carries the shared cast as `cls.p`."""

    p: Personas

    @classmethod
    def setUpTestData(cls) -> None:
        cls.p = build_personas()
