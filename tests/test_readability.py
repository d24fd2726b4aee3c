"""Family-facing words at reading age 9 or below (Flesch-Kincaid grade 4), measured.

The measure is vsend.frameworks.readability (a documented Flesch-Kincaid implementation). The
last tests show the check fails when a sentence is made harder.
"""

import re

import pytest

from vsend.frameworks import registry
from vsend.frameworks.readability import grade, reading_age
from vsend.profiles.forms import FamilyAnswerForm

LIMIT = 4.0  # grade 4 is reading age 9


def _frameworks():
    return [registry.current(band) for band in ("under_5", "5_to_25")]


def _family_texts():
    for fw in _frameworks():
        for d in fw.domains:
            for level, text in enumerate(d.family_descriptors):
                yield f"{fw.age_band} {d.key} level {level}", text


def too_hard(texts) -> list[tuple[str, float, str]]:
    return [(where, grade(text), text) for where, text in texts if grade(text) > LIMIT]


def test_every_domain_has_a_family_descriptor_per_level():
    for fw in _frameworks():
        for d in fw.domains:
            assert len(d.family_descriptors) == len(fw.scale), d.key


def test_family_descriptors_are_at_reading_age_9_or_below():
    assert too_hard(_family_texts()) == []


def _visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    text = re.sub(r"<[^>]+>", ". ", html)  # each element is its own sentence, as read
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("page", ["family-start", "family-question"])
def test_the_family_pages_are_at_reading_age_9_or_below(page, world, as_user):
    from django.urls import reverse

    from tests.profile_helpers import start_profile

    pk = start_profile(as_user("sendco"), world.child)
    kwargs = {"pk": pk} | ({"domain": "semh"} if page == "family-question" else {})
    html = as_user("parent").get(reverse(f"profiles:{page}", kwargs=kwargs)).content.decode()
    main = html.split('id="main-content"')[1].split("</main>")[0]
    # Names of the child and the service are not the family's reading load.
    text = _visible_text(main).replace(world.child.full_name, "Sam")
    assert grade(text) <= LIMIT, (grade(text), text)


def test_home_confidence_labels_are_plain_and_rise():
    for fw in _frameworks():
        labels = [lv.confidence for lv in fw.scale]
        assert all(grade(label) <= LIMIT for label in labels), labels
        assert "need a lot of help" in labels[0] and "confident" in labels[-1]
        form = FamilyAnswerForm(framework=fw, domain=fw.domains[0])
        assert [c[1] for c in form.fields["level"].choices] == labels  # type: ignore[attr-defined]


def test_the_check_fails_when_a_sentence_is_made_harder():
    fw = registry.current("5_to_25")
    plain = fw.domains[0].family_descriptors[2]
    harder = plain.replace(
        "It is hard for them to make friends or cope when plans change.",
        "Establishing reciprocal friendships and accommodating unanticipated modifications "
        "to established routines presents considerable difficulty.",
    )
    assert harder != plain
    assert too_hard([("plain", plain)]) == []
    assert too_hard([("harder", harder)]) != []
    assert reading_age(harder) > 9


def test_the_staff_descriptors_are_much_harder_than_the_family_ones():
    fw = registry.current("5_to_25")
    staff = " ".join(t for d in fw.domains for t in d.descriptors)
    family = " ".join(t for d in fw.domains for t in d.family_descriptors)
    assert grade(staff) > grade(family) + 5


def _voice_texts():
    from vsend.voice.questions import catalogue

    # Each page's words as they are read together: a formula for sentences says little about
    # one word ("Happy" alone scores as hard as a long sentence).
    cat = catalogue()
    for q in cat.questions:
        yield q.key, ". ".join([q.title, *q.lines])
        yield f"{q.key} pictures", ". ".join(s.words for s in q.choices)
    for key, area in cat.areas.items():
        yield key, ". ".join([area.title, *area.lines])
    yield "child levels", ". ".join(cat.child_levels)
    yield "family levels", ". ".join(cat.family_levels)
    yield "pictures", ". ".join(s.words for s in cat.symbols.values())


def test_the_all_about_me_questions_are_at_reading_age_9_or_below():
    assert too_hard(_voice_texts()) == []


def test_the_all_about_me_questions_are_easy_read_one_idea_a_line():
    from vsend.voice.questions import catalogue

    for q in catalogue().questions:
        for line in q.lines:
            words = line.split()
            assert len(words) <= 10, line  # short sentences
            assert line.count(".") + line.count("?") <= 1, line  # one sentence a line


@pytest.mark.parametrize("page", ["start", "question", "area", "check"])
def test_the_childs_own_pages_are_at_reading_age_9_or_below(page, world, as_user):
    from django.urls import reverse

    child = world.young_person_child
    kwargs = {"child_pk": child.pk} | (
        {"question": "how_to_help"}
        if page == "question"
        else {"domain": "communication_interaction"}
        if page == "area"
        else {}
    )
    client = as_user("young_person")
    client.post(
        reverse("voice:question", kwargs={"child_pk": child.pk, "question": "likes"}),
        {"symbols": ["music"]},
    )
    html = client.get(reverse(f"voice:{page}", kwargs=kwargs)).content.decode()
    main = html.split('id="main-content"')[1].split("</main>")[0]
    text = _visible_text(main).replace(child.full_name, "Sam")
    assert grade(text) <= LIMIT, (grade(text), text)


def test_the_voice_check_fails_when_a_question_is_made_harder():
    harder = (
        "Articulate the circumstances and environmental accommodations that facilitate "
        "your optimal engagement with educational activities."
    )
    assert too_hard([("plain", "What helps me?")]) == []
    assert too_hard([("harder", harder)]) != []


def test_transition_steps_the_family_sees_are_at_reading_age_9_or_below():
    from vsend.workflows.definitions import definition

    texts = [
        (f"{wf_id} {s.key}", s.family_name[0].upper() + s.family_name[1:] + ".")
        for wf_id in ("special-to-mainstream", "enhanced-transition")
        for s in definition(wf_id).steps
        if s.for_family
    ]
    assert texts and too_hard(texts) == []


# The family's window (issue 15): its home page, its access log, and the words made in code.


def _family_window_text(world, as_user, page: str) -> str:
    from django.urls import reverse

    from tests.profile_helpers import complete_profile

    sendco = as_user("sendco")
    pk = complete_profile(sendco, world.child)
    sendco.get(reverse("profiles:summary", kwargs={"pk": pk}))
    html = as_user("parent").get(reverse(page, kwargs={"pk": world.child.pk})).content.decode()
    main = html.split('id="main-content"')[1].split("</main>")[0]
    # The chart and its key are the shared at-a-glance component (ADR 18), not this page's prose.
    main = re.sub(r'<div class="vsend-chart-wrap".*', "", main, flags=re.S)
    return _visible_text(main).replace(world.child.full_name, "Sam").replace("Amelia", "Sam")


@pytest.mark.parametrize("page", ["family:home", "family:access"])
def test_the_family_window_is_at_reading_age_9_or_below(page, world, as_user):
    text = _family_window_text(world, as_user, page)
    assert grade(text) <= LIMIT, (grade(text), text)


def test_the_access_log_and_change_words_are_plain():
    from vsend.family import access_log
    from vsend.family.selectors import change_words

    texts = [
        *access_log.LOOKED.values(),
        *access_log.ADDED.values(),
        *access_log.CHANGED.values(),
        *(change_words(n) for n in (-1, 0, 1)),
    ]
    sentences = [f"A teacher {t}." for t in texts[:-3]] + [f"{t}." for t in texts[-3:]]
    # Read together, as a log page reads them: the grade of a single five-word sentence swings
    # with one two-syllable word, so each is not measured alone.
    text = " ".join(sentences)
    assert grade(text) <= LIMIT, (grade(text), text)


def test_the_family_window_check_fails_when_a_sentence_is_made_harder(world, as_user):
    text = _family_window_text(world, as_user, "family:home")
    plain = "What you can do now"
    assert plain in text
    harder = text.replace(
        plain,
        "Subsequent opportunities for parental participation, contribution and collaborative "
        "engagement with educational professionals regarding individualised provisional "
        "arrangements, multidisciplinary consultations and administrative documentation "
        "necessitate considerable organisational familiarity and interpretative capability",
    )
    assert grade(text) <= LIMIT < grade(harder), (grade(text), grade(harder))


def test_the_profile_summary_a_parent_reads_is_at_reading_age_9_or_below(world, as_user):
    from django.urls import reverse

    from tests.profile_helpers import complete_profile

    pk = complete_profile(as_user("sendco"), world.child)
    html = as_user("parent").get(reverse("profiles:summary", kwargs={"pk": pk})).content.decode()
    main = html.split('id="main-content"')[1].split("</main>")[0]
    # The chart and its key are the shared at-a-glance component (ADR 18), not this page's prose.
    main = re.sub(r'<div class="vsend-chart-wrap".*?</div>\s*</div>', "", main, flags=re.S)
    text = _visible_text(main).replace(world.child.full_name, "Sam").replace("Amelia", "Sam")
    assert grade(text) <= LIMIT, (grade(text), text)
