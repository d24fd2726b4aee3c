"""A parent chooses Welsh on their account page (the authority offers English and Welsh, with a
made-up catalogue) and their pages change; axe-clean, desktop and 320 px."""

import pytest

from tests.browser.conftest import assert_accessible
from tests.browser.test_family_window import _parent
from tests.browser.test_phone_width import PHONE, assert_no_sideways_scroll
from tests.test_languages import welsh  # noqa: F401 - a fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_parent_chooses_their_language(browser, live_server, world, welsh):  # noqa: F811
    for viewport, name in (({"width": 1200, "height": 900}, "desktop"), (PHONE, "phone")):
        context, page = _parent(browser, live_server, viewport)
        page.goto("/account/")
        assert page.locator("legend:has-text('Language for your pages')").count() == 1
        assert_accessible(page, f"language-01-account-{name}")
        if viewport == PHONE:
            assert_no_sideways_scroll(page, "account page at 320 px")
        page.check("input[value='cy']")
        page.click("button:has-text('Save language')")
        page.wait_for_url("**/account/")
        assert page.locator("h1").inner_text() == "Eich cyfrif"
        assert page.locator("html").get_attribute("lang") == "cy"
        assert_accessible(page, f"language-02-welsh-{name}")
        page.check("input[value='en-gb']")
        page.click("button:has-text('Save language')")
        page.wait_for_url("**/account/")
        assert page.locator("h1").inner_text() == "Your account"
        context.close()
