"""Family-facing words go through Django's translation machinery, and the catalogue template
that translators start from (src/vsend/locale/django.pot) is complete."""

import dataclasses
import shutil
import subprocess
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation

from tests.i18n_check import entries, untranslated, untranslated_source
from tests.profile_helpers import complete_profile, start_profile
from vsend.audit.services import Actor
from vsend.config import messages
from vsend.frameworks.loader import DOMAIN_KEYS, load_framework
from vsend.frameworks.registry import SHIPPED
from vsend.profiles.models import Profile
from vsend.profiles.selectors import profile_view
from vsend.voice.questions import catalogue
from vsend.workflows.definitions import DEFINITIONS_DIR, load_file

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
    "profiles/_plan.html",  # in the family's copy of the PDF
    "profiles/_ratings_table.html",
    "profiles/_chart.html",
    "statutory/_thread.html",  # on the family's case page
    "statutory/_adulthood.html",
    "profiles/summary.html",  # the family reads the profile here too
    "mail/family_request.html",  # the emails a family is sent
    "mail/family_request.txt",
    "mail/invitation.html",
    "mail/invitation.txt",
    "mail/statutory_reminder.html",
    "mail/statutory_reminder.txt",
    "accounts/email/password_reset.html",
    "accounts/email/password_reset.txt",
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


# Texts kept as data (ADR 39): in the catalogue with the file they come from, and shown through
# gettext, so a translator's catalogue made from the template changes the family's pages.


def _committed() -> dict[str, set[str]]:
    text = messages.CATALOGUE.read_text(encoding="utf-8")
    return {e.msgid: set(e.places) for e in entries(text)}


def _data_texts() -> list[tuple[str, str]]:
    """(text, data file) for what the family's and the child's pages show from data files, read
    through the objects those pages use (not through the extractor's readers)."""
    found = []
    cat = catalogue()
    for q in cat.questions:
        found += [(t, "voice/questions.yaml") for t in (q.title, *q.lines)]
    for area in cat.areas.values():
        found += [(t, "voice/questions.yaml") for t in (area.title, *area.lines)]
    found += [(t, "voice/questions.yaml") for t in (*cat.child_levels, *cat.family_levels)]
    found += [(s.words, "voice/symbols.yaml") for s in cat.symbols.values()]
    for path in sorted(DEFINITIONS_DIR.glob("*.yaml")):
        where = f"workflows/definitions/{path.name}"
        d = load_file(path)
        for step in d.steps:
            texts = (step.family_name, *step.items.values(), *step.outcomes.values())
            found += [(t, where) for t in texts]
        found += [(e.name, where) for e in d.exceptions]
    for path in SHIPPED:
        where = f"frameworks/data/{path.name}"
        fw = load_framework(path)
        found.append((fw.name, where))
        found += [(t, where) for lv in fw.scale for t in (lv.need, lv.readiness, lv.confidence)]
        for dm in fw.domains:
            found += [(t, where) for t in (dm.name, dm.short_name, dm.family_description)]
            for level in range(fw.levels):
                found.append((dm.family_descriptor(level), where))
                found.append((dm.family_descriptor(level, to_reader=True), where))
            found += [(p.text, where) for p in (*dm.confidence_prompts, *dm.readiness_prompts)]
    return found


def test_every_text_the_family_sees_from_a_data_file_is_in_the_catalogue_with_its_file():
    committed = _committed()
    texts = _data_texts()
    assert len(texts) > 400  # every data file is read
    missing = [(t, where) for t, where in texts if where not in committed.get(t, set())]
    assert missing == [], "run `make messages`"
    # For example: a question, a symbol, a step's family name, an area and a family descriptor.
    assert "voice/questions.yaml" in committed["What people like about me"]
    assert "voice/symbols.yaml" in committed["Riding my bike"]
    assert (
        "workflows/definitions/ehc-needs-assessment.yaml"
        in committed["deciding whether to carry out an assessment"]
    )
    assert (
        "frameworks/data/vsend-open-5-to-25-1.1.yaml" in committed["Communication and interaction"]
    )


def test_the_check_fails_when_a_data_text_is_added_and_the_catalogue_not_made_again(
    tmp_path, monkeypatch
):
    call_command("messages", "--check")  # up to date
    source = next(f for f in messages.DATA if f.pattern == "questions.yaml")
    text = (source.folder / "questions.yaml").read_text(encoding="utf-8")
    changed = text.replace('title: "My three wishes"', 'title: "My three big wishes"')
    assert changed != text
    (tmp_path / "questions.yaml").write_text(changed, encoding="utf-8")
    moved = [dataclasses.replace(f, folder=tmp_path) if f is source else f for f in messages.DATA]
    monkeypatch.setattr(messages, "DATA", moved)
    with pytest.raises(CommandError, match="out of date"):
        call_command("messages", "--check")
    found = {e.msgid: e.places for e in entries(messages.render(messages.extract()))}
    assert found["My three big wishes"] == ("voice/questions.yaml",)
    assert "My three wishes" not in found


def _page(client, url) -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="cy")
    assert response.status_code == 200
    return response.content.decode()


def test_the_childs_questions_and_pictures_are_shown_translated(world, as_user, pseudo_welsh):
    cy = pseudo_welsh
    page = _page(
        as_user("parent"),
        reverse("voice:question", kwargs={"child_pk": world.child.pk, "question": "likes"}),
    )
    assert cy("Things I like") in page and cy("These are things I like.") in page
    assert cy("Riding my bike") in page  # a symbol's words
    area = _page(
        as_user("parent"),
        reverse("voice:area", kwargs={"child_pk": world.child.pk, "domain": DOMAIN_KEYS[0]}),
    )
    assert cy("Talking and friends") in area and cy("This is fine for me") in area


def test_the_familys_question_page_shows_the_framework_translated(world, as_user, pseudo_welsh):
    cy = pseudo_welsh
    pk = start_profile(as_user("sendco"), world.child)
    as_user("sendco").post(reverse("profiles:ask-family", kwargs={"pk": pk}))
    fw = profile_view(Profile.objects.get(pk=pk)).framework
    d = fw.domain(DOMAIN_KEYS[0])
    url = reverse("profiles:family-question", kwargs={"pk": pk, "domain": d.key})
    page = _page(as_user("parent"), url)
    assert cy(d.name) in page and cy(d.family_description) in page
    assert cy(d.confidence_prompts[0].text) in page and cy(fw.scale[0].confidence) in page
    assert d.name not in page.replace(cy(d.name), "")  # nowhere left in English


def test_the_familys_home_page_shows_each_area_and_its_words_translated(
    world, as_user, pseudo_welsh
):
    cy = pseudo_welsh
    pk = complete_profile(as_user("sendco"), world.child)
    first = profile_view(Profile.objects.get(pk=pk)).domains[0]
    page = _page(as_user("parent"), reverse("family:home", kwargs={"pk": world.child.pk}))
    assert cy(first.domain.name) in page
    assert cy(first.domain.family_descriptor(first.rating.need_level)) in page
    assert cy(first.domain.short_name) in page  # the chart's axis


def test_the_family_case_page_gives_the_steps_in_the_familys_language(world, as_user, pseudo_welsh):
    from vsend.statutory import services

    cy = pseudo_welsh
    case = services.request_assessment(
        actor=Actor(user=world.users["sendco"]),
        child=world.child,
        requester="setting",
        setting=world.setting,
        reasons="Needs more help",
        received_on=timezone.localdate() - timedelta(days=3),
    )
    page = _page(as_user("parent"), reverse("statutory:case", kwargs={"pk": case.pk}))
    assert cy("deciding whether to carry out an assessment") in page


def test_choice_labels_and_the_sign_in_form_follow_the_language(world, as_user, pseudo_welsh):
    cy = pseudo_welsh
    from django.test import Client

    sign_in = _page(Client(), reverse("accounts:sign-in"))
    assert cy("Email address") in sign_in
    account = _page(as_user("parent"), reverse("accounts:account"))
    assert cy("Parent or carer") in account  # the role, a model choice label


def test_the_familys_pdf_copy_gives_the_framework_in_their_language(
    world, as_user, pseudo_welsh, monkeypatch
):
    from vsend.profiles import pdf

    cy = pseudo_welsh
    monkeypatch.setattr(pdf, "tagged_pdf", lambda html: html.encode())  # the HTML it is made from
    pk = complete_profile(as_user("sendco"), world.child)
    view = profile_view(Profile.objects.get(pk=pk))
    with translation.override("cy"):
        html = pdf.profile_pdf(view, family=True).decode()
    first = view.domains[0]
    level = first.rating.need_level
    assert cy(first.domain.name) in html and cy(first.domain.short_name) in html  # the chart
    assert cy(first.domain.family_descriptor(level)) in html
    assert cy(view.framework.scale[level].need) in html
    assert cy("Outcomes") in html and cy("Area") in html  # the plan and ratings partials


def test_dates_name_the_month_in_the_readers_language():
    from datetime import date

    from vsend.config.jinja2 import format_date

    assert format_date(date(2026, 3, 3)) == "3 March 2026"
    with translation.override("cy"):  # Django's own catalogue names the months
        assert format_date(date(2026, 3, 3)) == "3 Mawrth 2026"


def test_the_familys_transition_page_gives_the_steps_in_their_language(
    world, as_user, pseudo_welsh
):
    from vsend.transitions import services

    plan = services.start_plan(
        actor=Actor(user=world.users["sendco"]),
        child=world.child,
        template="special-to-mainstream",
        sending_setting=world.setting,
        receiving_setting=world.other_setting,
        started_on=timezone.localdate() - timedelta(days=60),
    )
    page = _page(as_user("parent"), reverse("transitions:plan", args=[plan.pk]))
    assert pseudo_welsh("talking with you about a move to a mainstream school") in page.lower()


def test_the_profile_summary_a_parent_reads_is_in_their_language(world, as_user, pseudo_welsh):
    cy = pseudo_welsh
    pk = complete_profile(as_user("sendco"), world.child)
    view = profile_view(Profile.objects.get(pk=pk))
    first = view.domains[0]
    page = _page(as_user("parent"), reverse("profiles:summary", kwargs={"pk": pk}))
    for words in ("At a glance", "What the needs ratings mean", "Date of birth", "Support plan"):
        assert cy(words) in page
    assert cy(first.domain.name) in page
    assert cy(first.domain.family_descriptor(first.rating.need_level)) in page
    assert cy("Three views of need") in page and cy("Area") in page  # the shared partials
    main = page.split('id="main-content"')[1].replace(cy("Date of birth"), "")
    assert "Date of birth" not in main and "Where more support" not in main.replace(
        cy("Where more support may be needed"), ""
    )
