"""Settings for the test suite: the real settings in development mode, with in-memory email,
a fast password hasher and tasks run in-process."""

import os

os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-that-is-long-enough-for-django-checks-0123456789")

from consultatie.settings import *  # noqa: F403

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
LANGUAGE_CODE = "nl"
# Off unless a test turns it on (the page cache's own tests do): a test's transaction never commits,
# so the on-commit invalidation never runs and other tests would see pages from before their writes.
# PUBLIC_PAGE_CACHE_SECONDS=60 in the environment runs the suite with it on.
PUBLIC_PAGE_CACHE_SECONDS = envint("PUBLIC_PAGE_CACHE_SECONDS", 0, minimum=0)  # noqa: F405
