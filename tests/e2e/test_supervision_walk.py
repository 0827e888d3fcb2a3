"""Issue 6, acceptance 1: one walk through the pages, on a phone-sized viewport, from the
plan to the published result — the health officer creates a plan, freezes and publishes
its lists, draws with the published seed, verifies the draw (the page's check agrees with
``tuoyu inspections verify-draw``) and is refused a re-draw without a reason; the drawn
inspector records the checklist (one item not met, with a note and a photo) and closes
the inspection, which issues the rectification order; the facility operator responds
with a photo; the inspector sees and downloads it, then verifies; and once the
publication delay (20 working days) has passed, the anonymous portal page of the
facility shows the result with its date, findings count and rectification status — not
a day earlier, and never the facility's files."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from tests.e2e.conftest import login
from tests.factories import (
    FacilityFactory,
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
    division,
)
from tuoyu.core.dates import local_today
from tuoyu.reference.calendar import add_working_days
from tuoyu.supervision.models import Draw, Inspection, RectificationOrder
from tuoyu.supervision.selectors import draw_verify

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
PASSWORD = "pass-1234"
SEED = "福彩3D 2026338 478"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
INSPECTORS = ("inspector0", "inspector1", "inspector2")
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _haidian() -> dict:
    """A county health commission with an officer and three inspectors; a provider with an
    operator and eight filed facilities in the county."""
    commission = OrganizationFactory(
        kind="health",
        name="海淀区卫生健康委员会",
        division=division("110108"),
        level="county",
        credit_code=None,
        industry=None,
        ownership_type="",
        headcount=None,
    )
    officer = UserFactory(username="officer", password=PASSWORD)
    MembershipFactory(user=officer, organization=commission, role="health_officer")
    inspectors = {name: UserFactory(username=name, password=PASSWORD) for name in INSPECTORS}
    for user in inspectors.values():
        MembershipFactory(user=user, organization=commission, role="inspector")
    provider = OrganizationFactory(kind="provider", division=division("110108"))
    operator = UserFactory(username="operator", password=PASSWORD)
    MembershipFactory(user=operator, organization=provider, role="facility_operator")
    facilities = [
        FacilityFactory(operator=provider, filing_status="filed", name=f"海淀第{k}托育园")
        for k in range(1, 9)
    ]
    return {"inspectors": inspectors, "facilities": facilities}


def _phone(new_page, username: str | None = None, next_url: str = "/"):
    """A fresh browser context at 390×844, signed in as ``username`` (None: anonymous)."""
    page = new_page()
    page.set_viewport_size(PHONE)
    if username:
        login(page, username, PASSWORD, next_url=next_url)
    return page


def _fact(page, term: str) -> str:
    """The text of the ``<dd>`` after the ``<dt>`` reading ``term`` in the page's facts."""
    dd = page.locator(
        f"xpath=//dl[contains(@class, 'facts')]/dt[normalize-space()='{term}']/following-sibling::dd[1]"
    )
    return " ".join(dd.inner_text().split())


def _fits_phone(page) -> bool:
    """True when the page needs no sideways scrolling on the phone's 390 px width."""
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def _in_force_rows(page) -> list[list[str]]:
    """The cells of the draw in force's table: order, entity, stratum, weight, inspectors."""
    section = page.locator("section").filter(
        has=page.get_by_role("heading", name=re.compile("有效的抽取结果"))
    )
    return [
        [cell.inner_text().strip() for cell in row.locator("td").all()]
        for row in section.locator("table tbody tr").all()
    ]


def _submit(page, button: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()


def _at(day: dt.date):
    """The clock at 10:00 Beijing time on ``day``, ticking (server thread included)."""
    return time_machine.travel(dt.datetime.combine(day, dt.time(10, 0), tzinfo=SHANGHAI), tick=True)


def test_plan_to_published_result_in_one_walk_on_a_phone(new_page, settings, tmp_path):
    settings.DATA_DIR = tmp_path  # evidence files go to the test's own directory
    # The walk runs from 10:00 Beijing time today, so it never straddles local midnight
    # (the dates it checks are "today"); moving back a few hours leaves cookies valid.
    with _at(local_today()):
        _walk(new_page)


def _walk(new_page) -> None:
    """The walk itself (see the module docstring), at a fixed time of day."""
    world = _haidian()
    by_key = {f"F{f.pk}": f for f in world["facilities"]}
    username_of = {f"U{u.pk}": name for name, u in world["inspectors"].items()}
    today = local_today()
    year = today.year

    # --- The health officer: plan, frozen and published lists, draw -----------------------
    officer = _phone(new_page, "officer", "/supervision/plans/")
    officer.get_by_role("link", name="新建抽查计划").click()
    officer.get_by_label("计划名称").fill("双随机抽查")
    officer.get_by_label("年度").fill(str(year))
    officer.get_by_label("抽查数量").fill("2")
    _submit(officer, "保存")
    officer.get_by_role("heading", name=f"{year} 双随机抽查").wait_for()
    assert _fact(officer, "抽查范围") == "110108"
    assert _fact(officer, "抽查比例或数量") == "2"
    assert _fact(officer, "每个对象的检查人员数") == "2"
    officer.get_by_text("名录尚未冻结公布。", exact=False).wait_for()
    # No draw before the lists are frozen.
    assert officer.get_by_role("link", name="抽取", exact=True).count() == 0

    _submit(officer, "冻结并公布名录")
    officer.get_by_text("名录已冻结并公布。").wait_for()
    entities_fact, inspectors_fact = _fact(officer, "检查对象"), _fact(officer, "检查人员")
    assert entities_fact.startswith("8 · SHA-256") and inspectors_fact.startswith("3 · SHA-256")
    published_hashes = {
        which: re.search(r"[0-9a-f]{64}", text).group(0)
        for which, text in (("entities", entities_fact), ("inspectors", inspectors_fact))
    }
    # Anyone holding the published lists gets the published hashes.
    downloads = officer.get_by_role("link", name="下载", exact=True)
    for k, which in enumerate(("entities", "inspectors")):
        href = downloads.nth(k).get_attribute("href")
        assert href.endswith(f"/lists/{which}.txt")
        assert (
            hashlib.sha256(officer.request.get(href).body()).hexdigest() == published_hashes[which]
        )
    assert _fits_phone(officer)

    officer.get_by_role("link", name="抽取", exact=True).click()
    officer.get_by_label("随机种子").fill(SEED)
    officer.get_by_label("种子来源").fill("中国福利彩票 3D 第2026338期开奖号码")
    _submit(officer, "抽取")
    officer.get_by_text("抽取完成。").wait_for()
    draw = Draw.objects.get()
    officer.get_by_role("heading", name=f"有效的抽取结果 #{draw.pk}").wait_for()
    assert _fact(officer, "随机种子").startswith(SEED)
    rows = _in_force_rows(officer)
    assert [row[0] for row in rows] == ["1", "2"]
    assert len({row[1] for row in rows}) == 2 and all(row[1] in by_key for row in rows)
    for row in rows:
        drawn = row[4].split(", ")
        assert len(drawn) == 2 and len(set(drawn)) == 2 and set(drawn) <= set(username_of)

    # --- Verification: the page's check, the command and the service agree ---------------
    officer.get_by_role("link", name="复核").click()
    officer.get_by_role("status").get_by_text("复核一致", exact=False).wait_for()
    out = io.StringIO()
    call_command("inspections_verify_draw", str(draw.pk), stdout=out)
    assert out.getvalue().strip() == (
        f"MATCH draw {draw.pk} {draw.algorithm} seed={SEED} "
        f"entities={published_hashes['entities']} inspectors={published_hashes['inspectors']}"
    )
    outcome = draw_verify(draw)
    assert outcome.match and outcome.problems == []
    assert [
        [str(t["order"]), t["entity"], ", ".join(t["inspectors"])]
        for t in outcome.recomputed["targets"]
    ] == [[row[0], row[1], row[4]] for row in rows]
    assert _fits_phone(officer)

    # --- A re-draw without a reason is refused; the first draw stays in force -------------
    officer.get_by_role("link", name="重新抽取").click()
    officer.get_by_label("随机种子").fill("another seed")
    _submit(officer, "抽取")
    officer.get_by_text("重新抽取必须填写理由", exact=False).wait_for()
    officer.get_by_role("link", name="取消").click()
    assert officer.get_by_role("heading", name=re.compile("已被重新抽取取代")).count() == 0
    assert _in_force_rows(officer) == rows and Draw.objects.count() == 1

    # --- The officer arranges the drawn inspections ---------------------------------------
    officer.get_by_label("计划检查日期").fill(today.isoformat())
    _submit(officer, "按抽取结果安排检查")
    officer.get_by_text("已安排2次检查。").wait_for()
    facility = by_key[rows[0][1]]
    drawn_names = [username_of[key] for key in rows[0][4].split(", ")]
    inspection = Inspection.objects.get(facility=facility)
    assert sorted(u.username for u in inspection.inspectors.all()) == sorted(drawn_names)

    # An inspector not drawn for this facility neither sees nor opens its inspection.
    [undrawn] = set(INSPECTORS) - set(drawn_names)
    bystander = _phone(new_page, undrawn, "/supervision/inspections/")
    assert bystander.get_by_role("link", name=facility.name, exact=True).count() == 0
    assert bystander.goto(f"/supervision/inspections/{inspection.pk}/").status == 404

    # --- The drawn inspector records the checklist on the phone ---------------------------
    inspector = _phone(new_page, drawn_names[0], "/supervision/inspections/")
    inspector.get_by_role("link", name=facility.name, exact=True).click()
    inspector.get_by_role("heading", name=facility.name).wait_for()
    assert _fact(inspector, "状态") == "检查中"
    assert _fact(inspector, "检查日期") == today.isoformat()
    assert _fact(inspector, "检查来源") == "双随机抽取"
    items = inspector.locator("fieldset.field-choices")
    item_count = items.count()
    assert item_count >= 2
    inspector.get_by_text(f"还有{item_count}个检查项未填写结果", exact=False).wait_for()
    for radio in inspector.locator("input[type=radio][value=met]").all():
        radio.check()
    first = items.first
    first_title = first.locator("legend").inner_text().split(". ", 1)[1]
    first.locator("input[type=radio][value=not_met]").check()
    first.locator("textarea").fill("晨检记录缺三天")
    first.locator("input[type=file]").set_input_files(
        {"name": "晨检记录.png", "mimeType": "image/png", "buffer": PNG}
    )
    assert _fits_phone(inspector)
    _submit(inspector, "保存检查结果")
    inspector.get_by_text("检查结果已保存。").wait_for()
    first = inspector.locator("fieldset.field-choices").first
    assert first.locator("input[type=radio][value=not_met]").is_checked()
    assert first.locator("textarea").input_value() == "晨检记录缺三天"
    evidence_link = first.get_by_role("link", name="晨检记录.png")
    assert inspector.request.get(evidence_link.get_attribute("href")).body() == PNG

    inspector.get_by_label("须提交的整改材料").fill("补齐的晨检记录照片")
    inspector.get_by_label("整改期限（工作日）").fill("10")
    _submit(inspector, "结束检查")
    inspector.get_by_text("检查已结束。").wait_for()
    published_on = add_working_days(today, 20).date
    assert published_on > today + dt.timedelta(days=20)  # working days, not calendar days
    assert _fact(inspector, "状态") == "已结束"
    assert _fact(inspector, "结束日期") == today.isoformat()
    assert _fact(inspector, "发现问题数") == "1"
    assert _fact(inspector, "公开日期").startswith(published_on.isoformat())
    row = inspector.locator("table tbody tr").first
    assert first_title in row.inner_text()
    assert "不符合" in row.inner_text() and "晨检记录缺三天" in row.inner_text()
    assert row.get_by_role("link", name="晨检记录.png").count() == 1
    assert inspector.get_by_role("button", name="保存检查结果").count() == 0  # closed: read only

    # --- The rectification order issued on closing -----------------------------------------
    inspector.get_by_role("link", name="查看整改通知").click()
    order = RectificationOrder.objects.get(inspection=inspection)
    deadline = add_working_days(today, 10).date
    assert _fact(inspector, "状态") == "待整改"
    assert _fact(inspector, "下达日期") == today.isoformat()
    assert _fact(inspector, "整改期限").startswith(f"{deadline.isoformat()} （10个工作日）")
    assert _fact(inspector, "须提交的整改材料") == "补齐的晨检记录照片"
    inspector.locator("ol li").filter(has_text=first_title).get_by_text("晨检记录缺三天").wait_for()
    assert inspector.locator("ol li").count() == 1
    assert inspector.get_by_label("整改情况说明").count() == 0  # only the facility responds
    order_path = f"/supervision/rectifications/{order.pk}/"
    assert inspector.url.endswith(order_path)

    # --- The facility operator responds -----------------------------------------------------
    operator = _phone(new_page, "operator", "/supervision/rectifications/")
    card = operator.locator("ul.cards li").filter(has_text=facility.name)
    assert f"整改期限 {deadline.isoformat()} · 待整改" in " ".join(card.inner_text().split())
    card.get_by_role("link", name=facility.name, exact=True).click()
    operator.get_by_label("整改情况说明").fill("已补齐全部晨检记录，照片见附件说明")
    operator.get_by_label("整改材料附件（照片或PDF）").set_input_files(
        {"name": "补齐的晨检记录.png", "mimeType": "image/png", "buffer": PNG}
    )
    assert operator.get_by_label("整改合格").count() == 0  # only the inspector reviews
    _submit(operator, "提交")
    operator.get_by_text("整改材料已提交。").wait_for()
    assert _fact(operator, "状态") == "已提交整改材料"
    operator.get_by_text("已补齐全部晨检记录，照片见附件说明").first.wait_for()
    assert operator.get_by_label("整改情况说明").count() == 0  # answered: no second response

    assert operator.get_by_role("link", name="补齐的晨检记录.png").count() == 1

    # --- The inspector sees and downloads the photo, then verifies --------------------------
    inspector.reload()
    response_file = inspector.get_by_role("link", name="补齐的晨检记录.png")
    assert inspector.request.get(response_file.get_attribute("href")).body() == PNG
    inspector.get_by_label("整改合格").check()
    inspector.get_by_label("核查意见").fill("现场复查，记录齐全")
    _submit(inspector, "保存")
    inspector.get_by_text("核查结论已保存。").wait_for()
    assert _fact(inspector, "状态") == "整改已核实"
    history = inspector.locator("h2:text-is('整改记录') + ul li")
    assert history.count() == 3
    assert "现场复查，记录齐全" in history.nth(2).inner_text()
    assert _fits_phone(inspector)

    # --- Publication: nothing before the delay, the result on the day it ends ---------------
    visitor = _phone(new_page)
    portal = f"/portal/facilities/{facility.pk}/"
    visitor.goto(portal)
    visitor.get_by_role("heading", name="监督检查结果").wait_for()
    visitor.get_by_text("暂无公开的检查结果。").wait_for()
    with _at(published_on - dt.timedelta(days=1)):
        visitor.goto(portal)
        visitor.get_by_text("暂无公开的检查结果。").wait_for()
    with _at(published_on):
        visitor.goto(portal)
        table = visitor.get_by_role("table", name=re.compile("公开的检查结果"))
        result_rows = table.locator("tbody tr")
        assert result_rows.count() == 1
        cells = [c.inner_text().strip() for c in result_rows.first.locator("td").all()]
        assert cells == [
            today.isoformat(),
            "双随机抽取",
            "1",
            "整改已核实",
            published_on.isoformat(),
        ]
        assert visitor.get_by_text("晨检记录缺三天").count() == 0  # notes are not published
        assert visitor.get_by_text("补齐的晨检记录.png").count() == 0  # nor the facility's files
        assert visitor.locator("a[href*='/rectifications/evidence/']").count() == 0
        assert _fits_phone(visitor)
