"""The deployment documentation and examples stay true to the code (runs in the normal suite, not only
with `-m scaleout`): every environment variable the portal reads is documented, the example environment
file is a valid production configuration, and the process files only run commands that exist."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

from django.core.management import get_commands

BASE_DIR = Path(__file__).resolve().parents[3]
DEPLOY_DOC = BASE_DIR / "docs" / "deploy.md"
ENV_EXAMPLE = BASE_DIR / "deploy" / "env.example"
READERS = re.compile(r'(?:env(?:bool|int|list|str|url_list)|os\.environ\.get|_int)\(\s*"([A-Z][A-Z0-9_]*)"')


def variables_read() -> set[str]:
    names: set[str] = set()
    for path in (BASE_DIR / "consultatie" / "settings.py", BASE_DIR / "gunicorn.conf.py"):
        if path.exists():
            names |= set(READERS.findall(path.read_text()))
    return names


def env_example() -> dict[str, str]:
    values = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = " ".join(shlex.split(value)) if value else ""
    return values


def test_deploy_docs_describe_every_environment_variable_the_portal_reads():
    names = variables_read()
    assert {"DATABASE_URL", "SECRET_KEY", "REDIS_URL", "EMAIL_BACKEND"} <= names  # the scan itself works
    doc = DEPLOY_DOC.read_text()
    undocumented = sorted(name for name in names if f"`{name}`" not in doc)
    assert not undocumented, f"add these to docs/deploy.md: {undocumented}"


def test_env_example_sets_only_variables_the_portal_reads():
    unknown = sorted(set(env_example()) - variables_read())
    assert not unknown, f"deploy/env.example sets variables nothing reads (typo?): {unknown}"


def test_env_example_with_a_secret_key_passes_the_deployment_checks():
    env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    env |= env_example() | {
        "DJANGO_SETTINGS_MODULE": "consultatie.settings",
        "SECRET_KEY": "example-" + "k" * 60,
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_env_example_leaves_the_secret_key_empty_so_production_refuses_to_start_until_it_is_set():
    assert env_example()["SECRET_KEY"] == ""


def test_process_files_only_run_management_commands_that_exist():
    files = [BASE_DIR / "Procfile", *sorted((BASE_DIR / "deploy" / "systemd").glob("*.service"))]
    used = {name for path in files for name in re.findall(r"manage\.py\s+([a-z_]+)", path.read_text())}
    assert {"db_worker", "send_outbox", "purge_personal_data"} <= used
    missing = sorted(used - set(get_commands()))
    assert not missing, f"deploy files run commands that do not exist: {missing}"
