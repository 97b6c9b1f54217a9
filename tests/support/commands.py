"""manage.py in a process of its own: as production starts it, or with an environment given."""

import os
import subprocess
import sys

from django.conf import settings as django_settings

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "a-long-random-production-secret-for-the-check-0123456789abcdefghij",
    "ALLOWED_HOSTS": "funding.example.org",
}


TEST_ONLY_ENV = {"DJANGO_ALLOW_ASYNC_UNSAFE"}


def manage_as_production(*args, **env):
    """manage.py as production starts it: the environment without what the tests set."""
    # The subprocess stands for a production start: nothing a test fixture set may leak into it
    # (the browser fixtures allow async-unsafe ORM calls, which the deploy check rightly refuses).
    environment = {
        k: v for k, v in os.environ.items() if k not in PRODUCTION and k not in TEST_ONLY_ENV
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=django_settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def manage(*args, env):
    """manage.py with exactly `env` as its environment."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
