"""Family-facing words go through Django's translation machinery, and the catalogue template
that translators start from (src/vsend/locale/django.pot) is complete."""

import shutil
import subprocess

import pytest
from django.urls import reverse

from tests.i18n_check import untranslated, untranslated_source
from vsend.config import messages

# Every page a parent, carer or young person sees (staff pages are not yet translated).
FAMILY_TEMPLATES = [
    "family/home.html",
    "family/access.html",
    "profiles/family_start.html",
    "profiles/family_question.html",
    "profiles/family_check.html",
    "profiles/family_done.html",
    "statutory/family_case.html",
    "accounts/sign_in.html",
    "accounts/signed_out.html",
    "accounts/locked_out.html",
    "accounts/password_reset.html",
    "accounts/password_reset_sent.html",
    "accounts/password_reset_confirm.html",
    "accounts/password_reset_done.html",
    "accounts/invitation_accept.html",
    "accounts/invitation_sign_in.html",
    "accounts/invitation_refused.html",
    "accounts/invitation_confirm.html",
    "accounts/account.html",
    "statutory/_form_page.html",
    "statutory/withdraw.html",
    "statutory/request_question.html",
    "statutory/request_check.html",
    "transitions/family_plan.html",
    "family/_add_views.html",
    "voice/_answers.html",
    "voice/_base.html",
    "voice/_credit.html",
    "voice/_helping.html",
    "voice/_scan.html",
    "voice/_three_views.html",
    "voice/area.html",
    "voice/check.html",
    "voice/question.html",
    "voice/start.html",
    "voice/version.html",
    "profiles/pdf.html",
    "profiles/_pdf_three_views.html",
]


def test_every_voice_template_is_checked():
    """The child's own pages are all family-facing: a new one is checked without being listed."""
    from tests.i18n_check import TEMPLATES

    voice = {f"voice/{p.name}" for p in (TEMPLATES / "voice").glob("*.html")}
    assert voice <= set(FAMILY_TEMPLATES)


@pytest.mark.parametrize("template", FAMILY_TEMPLATES)
def test_family_pages_have_no_words_outside_the_translation_machinery(template):
    assert untranslated(template) == []


def test_the_check_finds_words_left_out():
    assert untranslated_source("<p>{{ _('Fine') }}</p>") == []
    assert untranslated_source("<p>{% trans %}Hello {{ name }}{% endtrans %}</p>") == []
    assert untranslated_source("<p>Hello</p>") == ["Hello"]
    assert untranslated_source("<style>p { font: 9pt sans-serif; }</style>") == []
    assert untranslated_source('{{ govukButton({"text": "Send it"}) }}') == ['"Send it"']
    assert untranslated_source('<a class="govuk-link" href="{{ x }}">Read it</a>') == ["Read it"]


def test_the_committed_catalogue_has_every_message_and_no_stale_ones():
    committed = messages.msgids(messages.CATALOGUE.read_text(encoding="utf-8"))
    extracted = messages.msgids(messages.render(messages.extract()))
    assert extracted - committed == set(), "run `make messages`: these are missing"
    assert committed - extracted == set(), "run `make messages`: these are no longer used"
    # The family's words are in it (from templates and from code).
    assert {"Who opened or changed the record", "More need than last time", "Sign in"} <= committed


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="gettext's msgfmt is not installed")
def test_a_language_added_from_the_template_is_served(world, as_user, tmp_path, settings):
    """A translator's catalogue made from the template changes the family's page."""
    po = tmp_path / "cy" / "LC_MESSAGES" / "django.po"
    po.parent.mkdir(parents=True)
    header = messages.CATALOGUE.read_text(encoding="utf-8").split("\n\n")[0]
    po.write_text(
        header + '\n\nmsgid "Who opened or changed the record"\nmsgstr "Pwy agorodd y cofnod"\n',
        encoding="utf-8",
    )
    subprocess.run(["msgfmt", "-o", str(po.with_suffix(".mo")), str(po)], check=True)  # noqa: S603, S607
    settings.LOCALE_PATHS = [tmp_path]
    settings.LANGUAGES = [("en-gb", "English"), ("cy", "Cymraeg")]  # offered by the authority
    from django.utils.translation import trans_real

    trans_real._translations = {}
    trans_real._active = trans_real.Local()
    try:
        page = as_user("parent").get(
            reverse("family:access", kwargs={"pk": world.child.pk}), HTTP_ACCEPT_LANGUAGE="cy"
        )
        assert "Pwy agorodd y cofnod" in page.content.decode()
    finally:
        trans_real._translations = {}
        trans_real._active = trans_real.Local()
