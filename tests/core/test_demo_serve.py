"""``tuoyu serve``: set-up steps, the printed accounts and URL, the gunicorn command line; static files."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from tuoyu.core.management.commands import serve


@pytest.fixture
def no_exec(monkeypatch):
    """Record the gunicorn command line instead of replacing the test process."""
    calls: list[list[str]] = []
    monkeypatch.setattr(serve, "exec_gunicorn", calls.append)
    return calls


@pytest.fixture
def static_root(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    return settings.STATIC_ROOT


def test_serve_runs_gunicorn_on_the_wsgi_application_at_host_and_port(db, no_exec, static_root, capsys):
    call_command("serve", "--host", "127.0.0.1", "--port", "8123", "--workers", "3")
    argv = no_exec[0]
    assert "tuoyu.config.wsgi:application" in argv
    assert argv[argv.index("--bind") + 1] == "127.0.0.1:8123"
    assert argv[argv.index("--workers") + 1] == "3"


def test_serve_binds_ipv6_hosts_in_brackets(db, no_exec, static_root):
    call_command("serve", "--host", "::1", "--port", "8000")
    assert no_exec[0][no_exec[0].index("--bind") + 1] == "[::1]:8000"


def test_serve_dry_run_does_not_start_gunicorn(db, no_exec, static_root):
    call_command("serve", "--dry-run")
    assert no_exec == []


def test_serve_collects_static_files(db, no_exec, static_root):
    call_command("serve", "--dry-run")
    assert (static_root / "tuoyu" / "site.css").is_file()


def test_serve_prints_the_url(db, no_exec, static_root, capsys):
    call_command("serve", "--dry-run", "--port", "8124")
    assert "http://127.0.0.1:8124/" in capsys.readouterr().out


def test_serve_demo_prints_every_demo_account_with_password_and_province(db, no_exec, static_root, capsys):
    call_command("serve", "--demo", "--dry-run")
    out = capsys.readouterr().out
    for username, province in [("employer-bj", "北京市 海淀区"), ("health-sh", "上海市 浦东新区"),
                               ("admin", "全国")]:
        line = next(row for row in out.splitlines() if row.startswith(username + " "))
        assert "demo-pass-2026" in line and province in line


def test_app_serves_its_own_static_files_without_collectstatic(client, db):
    response = client.get("/static/tuoyu/site.css")
    assert response.status_code == 200
    assert "max-age" in response["Cache-Control"]


def test_static_serving_refuses_paths_outside_the_static_folders(client, db):
    assert client.get("/static/../config/settings.py").status_code == 404
