"""The child's own voice: "All about me", their view of each area, and three views of need."""

import pytest
from django.urls import reverse

from tests.profile_helpers import NEEDS, complete_profile, lock, start_profile
from vsend.audit.models import AuditEvent
from vsend.audit.services import Actor
from vsend.frameworks.loader import DOMAIN_KEYS
from vsend.profiles import family
from vsend.profiles.chart import profile_chart
from vsend.profiles.models import Profile
from vsend.profiles.selectors import profile_view
from vsend.voice import selectors, services
from vsend.voice.models import AboutMe, Helper
from vsend.voice.questions import catalogue, child_level_words

Q = "likes"


def _q(child, key=Q):
    return reverse("voice:question", kwargs={"child_pk": child.pk, "question": key})


def _area(child, domain):
    return reverse("voice:area", kwargs={"child_pk": child.pk, "domain": domain})


def _check(child):
    return reverse("voice:check", kwargs={"child_pk": child.pk})


def test_the_questions_and_symbols_are_data_and_every_symbol_file_is_shipped():
    from pathlib import Path

    cat = catalogue()
    assert len(cat.questions) == 12
    assert len(cat.symbols) >= 30
    folder = Path(__file__).resolve().parents[1] / "src" / "vsend" / "static" / "symbols"
    for s in cat.symbols.values():
        assert (folder / f"{s.file}.svg").exists(), s
    assert (folder / "LICENSE.txt").read_text().startswith("Attribution-ShareAlike 4.0")
    assert "OpenMoji" in (folder / "ATTRIBUTION.md").read_text()
    assert child_level_words(5)[0] == "This is fine for me"
    assert child_level_words(5)[-1] == "This is very hard for me"
    assert len(child_level_words(7)) == 7  # an authority's framework with more levels


def test_a_young_person_answers_with_pictures_and_sends_a_dated_version(world, as_user):
    yp = as_user("young_person")
    child = world.young_person_child
    page = yp.get(reverse("voice:start", kwargs={"child_pk": child.pk})).content.decode()
    assert "All about me" in page and "OpenMoji" in page and "CC BY-SA 4.0" in page
    page = yp.get(_q(child)).content.decode()
    assert 'type="checkbox"' in page and "/static/symbols/" in page
    r = yp.post(_q(child), {"symbols": ["music", "dog"], "words": "Trains"})
    assert r.status_code == 302 and r["Location"].endswith("/questions/dislikes/")
    r = yp.post(_q(child, "dislikes"), {"skip": "on"})
    assert r.status_code == 302
    r = yp.post(_area(child, "semh"), {"level": "3"})
    assert r.status_code == 302
    draft = AboutMe.objects.get(child=child)
    assert draft.answers["likes"] == {"symbols": ["music", "dog"], "words": "Trains", "skip": False}
    assert draft.answers["dislikes"]["skip"] and draft.area_views["semh"]["level"] == 3
    assert draft.helper == Helper.SELF
    page = yp.get(_check(child)).content.decode()
    assert "Music" in page and "This is often hard for me" in page
    r = yp.post(
        _check(child),
        {"helper_name": "My mum", "submission_token": "a-token-for-sending-1234567890-abcdef"},
    )
    assert r.status_code == 302
    sent = AboutMe.objects.get(child=child)
    assert not sent.is_draft and sent.submitted_at and sent.helper_name == "My mum"
    page = yp.get(r["Location"]).content.decode()
    assert "Your answers have been sent" in page and "Trains" in page
    # Next time starts from what they said, and the first version is kept as it was.
    yp.post(_q(child), {"symbols": ["games"]})
    assert AboutMe.objects.filter(child=child).count() == 2
    new = selectors.draft(child.pk)
    assert new.number == 2 and new.answers["dislikes"]["skip"]
    assert selectors.version(child.pk, 1).answers["likes"]["symbols"] == ["music", "dog"]
    assert AuditEvent.objects.filter(object_type="about_me", child_id=child.pk).count() >= 5


def test_sending_twice_from_one_page_makes_one_version(world, as_user):
    from vsend.submissions.services import FIELD

    yp = as_user("young_person")
    child = world.young_person_child
    yp.post(_q(child), {"symbols": ["music"]})
    first = yp.post(_check(child), {FIELD: "same-token-1234567890-1234567890-abc"})
    second = yp.post(_check(child), {FIELD: "same-token-1234567890-1234567890-abc"})
    assert first["Location"] == second["Location"]
    assert AboutMe.objects.filter(child=child).count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose a picture, write a few words"),
        ({"symbols": ["music", "dog", "cat", "art"], "words": "kept"}, "Choose 3 pictures or"),
        ({"symbols": ["music"], "skip": "on", "words": "kept"}, "Not both"),
        ({"symbols": ["not-a-symbol"], "words": "kept"}, "Choose from the pictures"),
        ({"words": "x" * 201}, "Use 200 letters or fewer"),
    ],
)
def test_bad_answers_get_a_plain_message_and_keep_what_was_typed(world, as_user, data, message):
    yp = as_user("young_person")
    child = world.young_person_child
    r = yp.post(_q(child), data)
    page = r.content.decode()
    assert r.status_code == 200 and message in page.replace("&#39;", "'")
    assert data.get("words", "") in page
    assert not AboutMe.objects.filter(child=child).exists()


def test_a_bad_level_or_area_is_refused_plainly(world, as_user):
    yp = as_user("young_person")
    child = world.young_person_child
    r = yp.post(_area(child, "semh"), {"level": "9"})
    assert r.status_code == 200 and "Choose how this is for you" in r.content.decode()
    assert yp.get(_area(child, "not-an-area")).status_code == 404
    assert yp.get(_q(child, "not-a-question")).status_code == 404
    huge = reverse("voice:version", kwargs={"child_pk": child.pk, "number": 2**40})
    assert yp.get(huge).status_code == 404


def test_who_helped_is_recorded_from_their_role(world, as_user):
    as_user("sendco").post(_q(world.child), {"symbols": ["music"]})
    page = AboutMe.objects.get(child=world.child)
    assert page.helper == Helper.STAFF and page.helped_by == world.users["sendco"]
    text = as_user("parent").get(_q(world.child)).content.decode()
    assert "You are helping Amelia" in text
    as_user("parent").post(_q(world.child), {"symbols": ["dog"]})
    page.refresh_from_db()
    assert page.helper == Helper.FAMILY and page.helped_by == world.users["parent"]


def test_a_young_person_never_reaches_another_child(world, as_user):
    yp = as_user("young_person")
    for other in (world.child, world.classmate, world.other_setting_child, world.far_child):
        assert yp.get(reverse("voice:start", kwargs={"child_pk": other.pk})).status_code == 404
        assert yp.post(_q(other), {"symbols": ["music"]}).status_code == 404
    assert not AboutMe.objects.exists()


def test_the_childs_pages_never_show_staff_evidence_notes(world, as_user):
    child = world.young_person_child
    complete_profile(as_user("sendco"), child)
    yp = as_user("young_person")
    yp.post(_q(child), {"symbols": ["music"]})
    urls = [
        reverse("voice:start", kwargs={"child_pk": child.pk}),
        _q(child),
        _area(child, DOMAIN_KEYS[0]),
        _check(child),
    ]
    yp.post(_check(child))
    urls.append(reverse("voice:version", kwargs={"child_pk": child.pk, "number": 1}))
    for url in urls:
        page = yp.get(url).content.decode()
        assert "Seen in class" not in page, url  # the staff's evidence notes
        assert "Valuing SEND profile" not in page, url


def _family_view(world, profile_pk, needs):
    profile = Profile.objects.get(pk=profile_pk)
    actor = Actor(user=world.users["parent"])
    for k in DOMAIN_KEYS:
        family.save_answer(actor=actor, profile=profile, domain=k, level=2, note="", need=needs[k])
    family.send_answers(actor=actor, profile=profile, expected=int(lock(profile_pk)))


def _child_view(world, levels):
    actor = Actor(user=world.users["sendco"])
    page = services.draft_for(actor, world.child)
    for k, v in levels.items():
        page = services.save_area_view(actor=actor, page=page, domain=k, level=v, skip=False)
    services.send(actor=actor, page=page)


def test_three_views_side_by_side_flag_a_gap_of_two_levels(world, as_user):
    sendco = as_user("sendco")
    pk = complete_profile(sendco, world.child, finalise=False)
    # Setting: NEEDS = 3, 2, 1, 0, 2. The family agrees but for one area; the child sees less.
    _family_view(world, pk, NEEDS | {DOMAIN_KEYS[3]: 2})
    _child_view(world, {DOMAIN_KEYS[0]: 1, DOMAIN_KEYS[1]: 2})
    profile = Profile.objects.get(pk=pk)
    three = selectors.three_views(profile_view(profile))
    flagged = [r.name for r in three.to_talk_about]
    assert len(flagged) == 2  # communication (3 vs 1) and physical (0 vs 2)
    assert three.rows[1].talk_about is False  # 2, 2, 2
    assert three.rows[2].child.level is None  # not given: never guessed, never averaged
    page = sendco.get(reverse("profiles:summary", kwargs={"pk": pk})).content.decode()
    assert "Three views of need" in page and "Something to talk about" in page
    assert "Views differ by 2 levels" in page
    assert "marker-child" in page and "The child&#39;s own view" in page
    assert 'class="marker marker-child" data-axis="0" data-value="1"' in page


def test_the_child_series_is_optional_and_has_its_own_pattern(world, as_user):
    pk = complete_profile(as_user("sendco"), world.child)
    view = profile_view(Profile.objects.get(pk=pk))
    assert "marker-child" not in profile_chart(view)
    drawn = profile_chart(view, [1, None, 2, 0, 4])
    assert "marker-child" in drawn and 'stroke-dasharray="2 4 2 4 10 4"' in drawn


def test_the_family_can_give_their_view_of_need_or_leave_it(world, as_user):
    pk = start_profile(as_user("sendco"), world.child)
    parent = as_user("parent")
    url = reverse("profiles:family-question", kwargs={"pk": pk, "domain": "semh"})
    page = parent.get(url).content.decode()
    assert "How much extra help do you think your child needs" in page
    assert parent.post(url, {"level": "2", "need": "3"}).status_code == 302
    saved = family.answers_for(Profile.objects.get(pk=pk)).answers["semh"]
    assert saved["need"] == 3
    url2 = reverse("profiles:family-question", kwargs={"pk": pk, "domain": "independence"})
    assert parent.post(url2, {"level": "2", "need": ""}).status_code == 302
    assert "need" not in family.answers_for(Profile.objects.get(pk=pk)).answers["independence"]
    r = parent.post(url2, {"level": "2", "need": "12"})
    assert r.status_code == 200 and "Choose one of the answers" in r.content.decode()


def test_every_chart_series_has_its_own_line_and_marker_for_greyscale():
    from vsend.profiles.chart import child_series, standard_series

    series = [*standard_series([1] * 5, [1] * 5, [1] * 5, [1] * 5), child_series([1] * 5)]
    assert len(series) == 5
    assert len({s.dash for s in series}) == len({s.marker for s in series}) == len(series)


def test_the_familys_view_counts_only_once_they_send_it(world, as_user):
    pk = complete_profile(as_user("sendco"), world.child, finalise=False)
    profile = Profile.objects.get(pk=pk)
    actor = Actor(user=world.users["parent"])
    family.save_answer(
        actor=actor, profile=profile, domain=DOMAIN_KEYS[0], level=1, note="", need=0
    )
    three = selectors.three_views(profile_view(profile))
    assert three.rows[0].family.level is None and not three.to_talk_about
    assert not three.family_given


def test_a_finalised_profiles_chart_follows_the_childs_latest_view(world, as_user):
    """Charts are kept once drawn (profiles.chart): a new view from the child must still show."""
    sendco = as_user("sendco")
    pk = complete_profile(sendco, world.child)
    url = reverse("profiles:summary", kwargs={"pk": pk})
    assert "marker-child" not in sendco.get(url).content.decode()
    _child_view(world, {DOMAIN_KEYS[0]: 1})
    marker = 'class="marker marker-child" data-axis="0" data-value="{}"'
    page = sendco.get(url).content.decode()
    assert marker.format(1) in page
    _child_view(world, {DOMAIN_KEYS[0]: 3})
    page = sendco.get(url).content.decode()
    assert marker.format(3) in page and marker.format(1) not in page
    assert sendco.get(url).content.decode().count("marker-child") == page.count("marker-child")
