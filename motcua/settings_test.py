"""Test settings: the real settings with a fixed key, fast hashing and in-memory mail.

DATABASE_URL still decides the engine, so the same suite runs on SQLite and PostgreSQL.
"""

import os
import tempfile

os.environ.setdefault("MOTCUA_SECRET_KEY", "test-only-not-secret")
os.environ.setdefault("MOTCUA_DATA_DIR", tempfile.mkdtemp(prefix="motcua-test-"))

from motcua.settings import *  # noqa: F403

STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
