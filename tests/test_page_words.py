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
    # The header and footer, drawn once each, and the skip link to the content.
    assert page.count('<header class="govuk-template__header">') == 1
    assert page.count('class="govuk-service-navigation"') == 1
    assert page.count('<footer class="govuk-template__footer">') == 1
    assert page.count('href="#main-content" class="govuk-skip-link"') == 1


def _both_environments():
    """vsend's environment, and one with Jinja's own newstyle gettext over the same words."""
    from django.template import engines
    from jinja2 import Environment

    ours = engines["jinja2"].env
    plain = Environment(autoescape=True, extensions=["jinja2.ext.i18n"])
    plain.install_gettext_callables(  # type: ignore[attr-defined]
        jinja2.words, translation.ngettext, newstyle=True
    )
    return ours, plain


def test_page_words_give_what_jinjas_own_gettext_gives():
    ours, plain = _both_environments()
    sources = [
        '{{ _("January") }}',
        '{{ _("50%% of days & more") }}',
        '{{ _("100%% of <b>%(what)s</b>", what="<i>days</i>") }}',
        '{{ _("%(n)s%% done", n=5) }}',
        "{% trans %}Fish & chips{% endtrans %}",
        "{% trans name='<Jo>' %}Hello {{ name }}{% endtrans %}",
        "{% trans message='<x>', context='y' %}{{ message }} in {{ context }}{% endtrans %}",
        '{{ _("%(message)s!", message="Saved") }}',
        '{% autoescape false %}{{ _("Fish & chips") }} {{ _("%(a)s & b", a="<a>") }}{% endautoescape %}',
        "{% trans count=2 %}One day{% pluralize %}{{ count }} days{% endtrans %}",
        '{{ gettext("January") }}|{{ _("January") | length }}',
    ]
    for language in ("en-gb", "cy"):
        with translation.override(language):
            for _ in range(2):  # the second time from what was kept
                for source in sources:
                    expected = plain.from_string(source).render()
                    assert ours.from_string(source).render() == expected, source
    with translation.override("cy"):
        assert ours.from_string('{{ _("January") }}').render() == "Ionawr"


def test_page_words_are_markup_without_escaping_again_and_kept_per_language():
    from markupsafe import Markup

    ours, _plain = _both_environments()
    with translation.override("en-gb"):
        template = ours.from_string('{% set w = _("A & B") %}{{ w }}|{{ w | e }}')
        assert template.render() == "A & B|A & B"  # marked safe, as Jinja's gettext does
        assert isinstance(jinja2._PAGE_WORDS[("en-gb", "A & B")], Markup)
        assert ours.from_string('{{ _("January") }}').render() == "January"
    with translation.override("cy"):  # another language: its own words, not the kept English
        assert ours.from_string('{{ _("January") }}').render() == "Ionawr"
    assert jinja2._PAGE_WORDS[("en-gb", "January")] == "January"
    assert jinja2._PAGE_WORDS[("cy", "January")] == "Ionawr"


def test_a_safe_message_through_page_words_is_as_jinjas_own_and_never_kept():
    from django.utils.safestring import mark_safe

    ours, plain = _both_environments()
    message = mark_safe("<b>May</b> %%")
    with translation.override("en-gb"):
        for env in (ours, plain):
            assert env.from_string("{{ _(m) }}").render(m=message) == "<b>May</b> %"
        assert ("en-gb", message) not in jinja2._PAGE_WORDS


def test_an_unknown_variable_in_page_words_fails_as_it_does_in_jinja():
    import pytest

    ours, plain = _both_environments()
    with translation.override("en-gb"):
        for env in (ours, plain):
            with pytest.raises(KeyError):
                env.from_string('{{ _("Hello %(name)s") }}').render()


def test_page_addresses_are_reversed_once_and_match_django(settings):
    from django.urls import reverse

    jinja2._url.cache_clear()
    for _ in range(2):  # the second time from what was kept
        assert jinja2.url("profiles:summary", 3) == reverse("profiles:summary", args=[3])
        assert jinja2.url("children:detail", "7") == reverse("children:detail", args=["7"])
        assert jinja2.url("accounts:sign-out") == reverse("accounts:sign-out")
    assert jinja2._url.cache_info().hits == 3
    # Anything but plain numbers and words is reversed every time (its text could change).
    assert jinja2.url("profiles:summary", pk=3) == reverse("profiles:summary", kwargs={"pk": 3})
    assert jinja2._url.cache_info().currsize == 3
    settings.ROOT_URLCONF = "vsend.config.urls"  # another address book empties what was kept
    assert jinja2._url.cache_info().currsize == 0
