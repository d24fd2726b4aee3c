"""On a 320 px wide screen (a small phone, or a desktop at 400% zoom) no page scrolls sideways:
wide tables scroll inside their own labelled, focusable box and long words wrap. The main
pages of every persona, with axe. And the at-a-glance chart on a phone, in colour and in
greyscale, with equal values drawn where each can be seen."""

import itertools
import math

import pytest
from django.urls import reverse

from tests.browser.conftest import ARTIFACTS, assert_accessible
from tests.conftest import PASSWORD
from tests.test_insights import data  # noqa: F401 - the hand-made data set, as a fixture
from vsend.children.models import Child
from vsend.profiles.models import Profile

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 320, "height": 640}
LONG_WORD = "Supercalifragilisticexpialidocious" * 3


def phone_page(browser, live_server, email: str):
    context = browser.new_context(bypass_csp=True, viewport=PHONE, base_url=live_server.url)
    page = context.new_page()
    page.goto("/sign-in/")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_url("**/")
    return context, page


def assert_no_sideways_scroll(page, name: str) -> None:
    width = page.evaluate("document.scrollingElement.scrollWidth")
    inner = page.evaluate("window.innerWidth")
    if width > inner:
        wide = page.evaluate(
            """w => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > w + 0.5 && !e.closest('.vsend-table-scroll'))
                .slice(0, 6).map(e => `${e.tagName}.${e.className} ${e.textContent.slice(0, 30)}`)""",
            inner,
        )
        pytest.fail(f"{name}: the page is {width} px wide on a {inner} px screen: {wide}")


def pages_for(world) -> dict[str, list[str]]:
    profile = Profile.objects.filter(child=world.child).order_by("-number").first()
    child = reverse("children:detail", args=[world.child.pk])
    summary = reverse("profiles:summary", args=[profile.pk])
    setting_dashboard = reverse("insights:setting", args=[world.setting.pk])
    return {
        "sendco@example.org": [
            "/",
            reverse("children:list"),
            child,
            summary,
            setting_dashboard,
            reverse("people:setting", args=[world.setting.pk]),
            reverse("accounts:account"),
        ],
        "teacher@example.org": ["/", reverse("children:list"), child, setting_dashboard],
        "governor@example.org": ["/", setting_dashboard],
        "parent@example.org": ["/", child, summary],
        "yp@example.org": ["/", reverse("children:detail", args=[world.young_person_child.pk])],
        "caseworker@example.org": ["/", reverse("children:list"), child, summary],
        "la.admin@example.org": [
            "/",
            reverse("organisations:authority", args=[world.authority.pk]),
            reverse("insights:authority"),
            reverse("people:authority", args=[world.authority.pk]),
            reverse("audit-log"),
        ],
        "la.officer@example.org": ["/", reverse("insights:authority")],
    }


def test_no_main_page_scrolls_sideways_at_320_px(browser, live_server, data):  # noqa: F811
    # A long unbroken word where families and staff type freely.
    Child.objects.filter(pk=data.child.pk).update(last_name=LONG_WORD[:100])
    Profile.objects.filter(child=data.child).update(strengths=LONG_WORD)
    for email, urls in pages_for(data).items():
        context, page = phone_page(browser, live_server, email)
        try:
            for n, url in enumerate(urls):
                response = page.goto(url)
                assert response.status == 200, (email, url, response.status)
                name = f"w320-{email.split('@')[0]}-{n}"
                assert_no_sideways_scroll(page, f"{email} {url}")
                assert_accessible(page, name)
                # Every scrolling table box can be reached and is named.
                for box in page.locator(".vsend-table-scroll").all():
                    assert box.get_attribute("tabindex") == "0" and box.get_attribute("aria-label")
        finally:
            context.close()


def marker_boxes(page) -> list[dict]:
    return page.evaluate(
        """() => [...document.querySelectorAll('.vsend-chart .marker')].map(m => {
            const r = m.getBoundingClientRect();
            return {key: m.getAttribute('class'), axis: m.dataset.axis, value: m.dataset.value,
                    x: r.x + r.width / 2, y: r.y + r.height / 2, size: Math.max(r.width, r.height)};
        })"""
    )


def test_the_chart_on_a_phone_and_in_greyscale_shows_every_equal_value(
    browser,
    live_server,
    data,  # noqa: F811
):
    # Amelia's second profile: equal needs, readiness and home confidence in four areas, and
    # needs equal to the last profile in three.
    profile = Profile.objects.filter(child=data.child).order_by("-number").first()
    context, page = phone_page(browser, live_server, "sendco@example.org")
    try:
        page.goto(reverse("profiles:summary", args=[profile.pk]))
        assert_no_sideways_scroll(page, "summary")
        figure = page.locator("figure.vsend-chart-figure")
        ARTIFACTS.mkdir(exist_ok=True)
        figure.screenshot(path=str(ARTIFACTS / "chart-phone.png"))
        boxes = marker_boxes(page)
        assert len(boxes) == 4 * 5
        equal = [b for b in boxes if (b["axis"], b["value"]) == ("2", "2")]
        assert len(equal) == 3  # SEMH: need, readiness and home confidence all 2
        for a, b in itertools.combinations(boxes, 2):
            gap = math.dist((a["x"], a["y"]), (b["x"], b["y"]))
            assert gap >= 0.75 * max(a["size"], b["size"]), f"{a} hides {b}"
        # The smallest text in the chart, as drawn on this phone.
        smallest = page.evaluate(
            """() => Math.min(...[...document.querySelectorAll('.vsend-chart text')]
                .filter(t => t.getAttribute('aria-hidden') !== 'true')
                .map(t => t.getBoundingClientRect().height))"""
        )
        assert smallest >= 10, f"chart text {smallest:.1f} px high on a phone"
        page.add_style_tag(content="html { filter: grayscale(100%); }")
        figure.screenshot(path=str(ARTIFACTS / "chart-phone-greyscale.png"))
        assert_accessible(page, "chart-phone-summary")
        # A 1280 px screen at 200% zoom: 640 CSS px.
        page.set_viewport_size({"width": 640, "height": 900})
        assert_no_sideways_scroll(page, "summary at 200% zoom")
        figure.screenshot(path=str(ARTIFACTS / "chart-zoom-200-greyscale.png"))
    finally:
        context.close()
