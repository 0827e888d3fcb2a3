"""Settings read from the environment: the cache."""

from __future__ import annotations

import importlib
import os
from unittest import mock

import pytest


@pytest.mark.parametrize(
    ("env", "backend"),
    [
        ({}, "tuoyu.core.cache_backends.FileCache"),
        ({"TUOYU_CACHE_URL": "redis://127.0.0.1:6379/1"}, "django.core.cache.backends.redis.RedisCache"),
    ],
)
def test_cache_backend_follows_the_environment(env, backend, tmp_path):
    environ = {k: v for k, v in os.environ.items() if k != "TUOYU_CACHE_URL"}
    environ.update(env, TUOYU_DATA_DIR=str(tmp_path))
    with mock.patch.dict(os.environ, environ, clear=True):
        import tuoyu.config.settings as settings_module

        chosen = importlib.reload(settings_module).CACHES["default"]["BACKEND"]
    importlib.reload(settings_module)  # back to the process's own environment
    assert chosen == backend
