"""Words and dates on pages are translated once per language and kept (config.jinja2): each
language still gets its own words, and a change of catalogues is seen."""

from datetime import date

from django.utils import translation

from vsend.config import jinja2


def test_each_language_gets_its_own_words_after_they_are_kept():
    for _ in range(2):  # the second time from what was kept
        with translation.override("cy"):
            assert jinja2.words("January") == "Ionawr"  # Django's own Welsh catalogue
            assert jinja2.format_date(date(2026, 1, 3)) == "3 Ionawr 2026"
        with translation.override("en-gb"):
            assert jinja2.words("January") == "January"
            assert jinja2.format_date(date(2026, 1, 3)) == "3 January 2026"


def test_changing_where_catalogues_are_found_forgets_the_kept_words(settings, tmp_path):
    with translation.override("en-gb"):
        jinja2.words("January")
        assert jinja2._WORDS
        settings.LOCALE_PATHS = [tmp_path]
        assert not jinja2._WORDS


def test_a_safe_message_is_never_shared_with_a_plain_one():
    from django.utils.safestring import SafeData, mark_safe

    with translation.override("en-gb"):
        assert isinstance(jinja2.words(mark_safe("<b>May</b>")), SafeData)
        assert not isinstance(jinja2.words("<b>May</b>"), SafeData)


def test_a_page_drawn_for_a_request_without_a_user_has_no_links(rf):
    from django.template.loader import render_to_string

    page = render_to_string("layout.html", request=rf.get("/"))
    assert "govuk-service-navigation" in page and "Your account" not in page
