"""Sign-in, sign-out and the account page."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


PASSWORD = "pass-1234"  # the factories' password


def _login(client, username, password=PASSWORD):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_login_page_renders_a_form(client, db):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert 'name="password"' in response.content.decode()


def test_login_url_is_the_login_url_setting(settings):
    assert reverse(settings.LOGIN_URL) == "/accounts/login/"


def test_login_with_the_right_password_signs_in(client, alice):
    response = _login(client, "alice")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_login_with_a_wrong_password_stays_on_the_page(client, alice):
    response = _login(client, "alice", "wrong")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_login_follows_a_safe_next(client, alice):
    response = client.post(
        reverse("accounts:login") + "?next=/accounts/me/",
        {"username": "alice", "password": "pass-1234", "next": "/accounts/me/"},
    )
    assert response["Location"] == "/accounts/me/"


def test_login_ignores_an_outside_next(client, alice):
    response = client.post(
        reverse("accounts:login"),
        {"username": "alice", "password": "pass-1234", "next": "https://evil.example/"},
    )
    assert "evil.example" not in response["Location"]


def test_login_is_locked_after_repeated_failures(client, alice, settings):
    settings.TUOYU_LOGIN_MAX_FAILURES = 3
    for _ in range(3):
        _login(client, "alice", "wrong")
    response = _login(client, "alice")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_lock_is_per_username(client, alice, bob, settings):
    settings.TUOYU_LOGIN_MAX_FAILURES = 3
    for _ in range(3):
        _login(client, "alice", "wrong")
    assert _login(client, "bob").status_code == 302


def test_success_before_the_limit_resets_the_count(client, alice, settings):
    settings.TUOYU_LOGIN_MAX_FAILURES = 3
    _login(client, "alice", "wrong")
    _login(client, "alice", "wrong")
    _login(client, "alice")
    client.logout()
    _login(client, "alice", "wrong")
    _login(client, "alice", "wrong")
    assert _login(client, "alice").status_code == 302


def test_locked_message_names_the_wait(client, alice, settings):
    settings.TUOYU_LOGIN_MAX_FAILURES = 1
    _login(client, "alice", "wrong")
    response = _login(client, "alice")
    assert "15" in response.content.decode()


def test_logout_by_get_is_refused(client, alice):
    client.force_login(alice)
    response = client.get(reverse("accounts:logout"))
    assert response.status_code == 405
    assert "_auth_user_id" in client.session


def test_logout_by_post_signs_out(client, alice):
    client.force_login(alice)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_account_page_requires_sign_in(client, db):
    response = client.get(reverse("accounts:me"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_account_page_lists_memberships_and_jurisdiction(client, hana):
    client.force_login(hana)
    html = client.get(reverse("accounts:me")).content.decode()
    assert "海淀区卫生健康委员会" in html
    assert "北京市 海淀区" in html


def test_account_page_of_a_provincial_officer_names_the_province(client, una):
    client.force_login(una)
    html = client.get(reverse("accounts:me")).content.decode()
    assert "北京市总工会" in html
    assert "110108" not in html


def test_account_page_of_a_national_admin_says_national(client, root):
    client.force_login(root)
    assert "全国" in client.get(reverse("accounts:me")).content.decode()


def test_account_page_of_an_employer_admin_has_no_jurisdiction(client, alice):
    client.force_login(alice)
    html = client.get(reverse("accounts:me")).content.decode()
    assert "海淀科技有限公司" in html
    assert "不负责辖区监管" in html


def test_account_page_shows_only_the_users_own_memberships(client, alice, bob):
    client.force_login(alice)
    assert "浦东制造有限公司" not in client.get(reverse("accounts:me")).content.decode()


def test_account_page_in_english(client, hana):
    client.force_login(hana)
    html = client.get(reverse("accounts:me"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "My account" in html
    assert "Health officer" in html


def test_account_page_query_count(client, hana, django_assert_max_num_queries):
    client.force_login(hana)
    with django_assert_max_num_queries(6):
        client.get(reverse("accounts:me"))


PAGE_MATRIX = [
    # (page, persona, expected status)
    *[
        ("accounts:me", name, 200)
        for name in (
            "alice",
            "bob",
            "hana",
            "chen",
            "pudong",
            "bjhealth",
            "una",
            "dora",
            "otto",
            "root",
        )
    ],
    ("accounts:me", "anon", 302),
    *[
        ("audit:event_list", name, 200)
        for name in (
            "hana",
            "chen",
            "pudong",
            "bjhealth",
            "una",
            "dora",
            "root",
        )
    ],
    *[("audit:event_list", name, 403) for name in ("alice", "bob", "otto")],
    ("audit:event_list", "anon", 302),
    *[("accounts:login", name, 200) for name in ("anon",)],
    *[("accounts:login", name, 302) for name in ("alice", "hana")],
]


@pytest.mark.parametrize(("page", "name", "status"), PAGE_MATRIX)
def test_page_permission_matrix(client, personas, page, name, status):
    user = personas[name]
    if name != "anon":
        client.force_login(user)
    assert client.get(reverse(page)).status_code == status


def test_header_links_the_audit_trail_for_officials(client, hana):
    client.force_login(hana)
    assert reverse("audit:event_list") in client.get(reverse("accounts:me")).content.decode()


def test_header_hides_the_audit_trail_from_employers(client, alice):
    client.force_login(alice)
    assert reverse("audit:event_list") not in client.get(reverse("accounts:me")).content.decode()


def test_header_offers_sign_in_to_anonymous_users(client, db):
    html = client.get(reverse("accounts:login")).content.decode()
    assert 'action="/accounts/logout/"' not in html
