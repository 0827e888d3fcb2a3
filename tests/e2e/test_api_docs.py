"""The API documentation page renders every operation under the strict CSP, from local files."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_api_docs_render_under_the_strict_policy_without_console_errors(new_page):
    page = new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    response = page.goto("/api/v1/docs/")
    assert "'unsafe-inline'" not in response.headers["content-security-policy"]
    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock").count() > 10
    assert errors == []
