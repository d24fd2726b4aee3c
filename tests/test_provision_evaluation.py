"""What provision achieves, on a hand-made set of children, profiles and provision; and the
authority's and governors' figures through disclosure control."""

from datetime import date
from decimal import Decimal

import pytest

from tests.conftest import _child
from vsend.audit.services import Actor
from vsend.insights import published, suppression
from vsend.insights.terms import parse_term
from vsend.profiles.models import DomainRating, Profile
from vsend.provision import services
from vsend.provision.authority import authority_provision, governors_spend_table
from vsend.provision.evaluation import MIN_GROUP, evaluate
from vsend.provision.maps import money
from vsend.provision.models import StaffRole

SPRING, SUMMER, AUTUMN = (parse_term(s) for s in ("spring-2026", "summer-2026", "autumn-2026"))
CI, CL = "communication_interaction", "cognition_learning"


def profiles(child, user, *versions: tuple[date, dict[str, int]]) -> None:
    """Finalised versions, each replaced by the next."""
    previous = None
    for number, (day, needs) in enumerate(versions, start=1):
        nxt = versions[number][0] if number < len(versions) else None
        p = Profile.objects.create(
            child=child,
            number=number,
            previous=previous,
            status="finalised",
            framework_id="vsend-open",
            framework_version="1.0",
            framework_checksum="x" * 64,
            age_band="5_to_25",
            assessment_date=day,
            superseded_on=nxt,
            created_by=user,
        )
        for domain, level in needs.items():
            DomainRating.objects.create(profile=p, domain=domain, need_level=level)
        previous = p


@pytest.fixture
def evaluated(world):
    user = world.users["sendco"]
    actor = Actor(user=user)
    kids = [
        _child(world.authority, world.setting, f"Kid{i}", date(2017, 5, 1)) for i in range(1, 6)
    ]
    c1, c2, c3, c4, c5 = kids
    profiles(
        c1,
        user,
        (date(2025, 12, 1), {CI: 3, CL: 2}),
        (date(2026, 6, 15), {CI: 3, CL: 1}),
        (date(2026, 11, 10), {CI: 2, CL: 1}),
    )
    profiles(c2, user, (date(2025, 11, 1), {CI: 4}), (date(2026, 10, 1), {CI: 2}))
    profiles(c3, user, (date(2025, 10, 1), {CI: 3}))  # no later profile
    # c4 has no profile at all
    profiles(c5, user, (date(2026, 2, 1), {CI: 2}), (date(2026, 9, 20), {CI: 3}))
    ta = StaffRole.objects.create(setting=world.setting, name="TA", hourly_cost=Decimal(18))
    talk = services.save_provision(
        actor=actor,
        setting=world.setting,
        data={
            "name": "Talk",
            "areas": [CI],
            "kind": "group",
            "staff_role": ta,
            "sessions_per_week": Decimal(1),
            "session_minutes": 60,
            "cost_basis": "staff_hour",
        },
    )
    services.start_group(
        actor=actor,
        provision=talk,
        name="Talk spring",
        starts_on=SPRING.starts,
        ends_on=SPRING.ends,
        child_ids=[c1.pk, c2.pk, c3.pk, c5.pk],
    )
    tutor = services.save_provision(
        actor=actor,
        setting=world.setting,
        data={
            "name": "Tutor",
            "areas": [CL, "semh"],
            "kind": "external",
            "provider": "Tutors",
            "sessions_per_week": Decimal(1),
            "session_minutes": 60,
            "cost_basis": "term",
            "cost": Decimal(300),
        },
    )
    for c in (c1, c4):
        services.start_group(
            actor=actor,
            provision=tutor,
            name=f"Tutor {c.first_name}",
            starts_on=SPRING.starts,
            ends_on=SPRING.ends,
            child_ids=[c.pk],
        )
    return kids


def test_change_in_need_beside_provision_and_cost(world, evaluated):
    c1, c2, c3, c4, c5 = evaluated
    result = evaluate(world.setting.pk, [SPRING, SUMMER, AUTUMN])
    by_child = {c.child_id: c for c in result.children}
    assert by_child[c1.pk].change == {CI: -1, CL: -1}  # Dec 2025 against Nov 2026
    assert (by_child[c1.pk].before, by_child[c1.pk].after) == (
        date(2025, 12, 1),
        date(2026, 11, 10),
    )
    assert by_child[c2.pk].change == {CI: -2}
    assert by_child[c5.pk].change == {CI: 1}  # first profile in the period is the baseline
    assert money(by_child[c1.pk].cost) == Decimal("354.00")  # 12 x 18 / 4 + 300
    assert by_child[c1.pk].hours == 12 + 12  # hours received are not shared
    # Left out and flagged: a profile before but none after, and no profile at all.
    assert {c.child_id for c in result.left_out} == {c3.pk, c4.pk}
    assert by_child[c3.pk].before == date(2025, 10, 1) and by_child[c3.pk].after is None
    talk, tutor = result.provisions
    assert (talk.children, talk.compared) == (4, 3)
    assert talk.mean_change == pytest.approx((-1 - 2 + 1) / 3)
    assert money(talk.cost_per_child) == Decimal("54.00")
    assert talk.too_small and MIN_GROUP == 5
    assert (tutor.children, tutor.compared, tutor.mean_change) == (2, 1, -1.0)
    assert money(tutor.cost_per_child) == Decimal("300.00")


def test_a_provision_with_five_compared_is_not_flagged(world):
    user = world.users["sendco"]
    actor = Actor(user=user)
    kids = [_child(world.authority, world.setting, f"Pup{i}", date(2017, 5, 1)) for i in range(5)]
    for k in kids:
        profiles(k, user, (date(2025, 12, 1), {CI: 3}), (date(2026, 7, 1), {CI: 2}))
    ta = StaffRole.objects.create(setting=world.setting, name="TA", hourly_cost=Decimal(18))
    p = services.save_provision(
        actor=actor,
        setting=world.setting,
        data={
            "name": "Talk",
            "areas": [CI],
            "kind": "group",
            "staff_role": ta,
            "sessions_per_week": Decimal(1),
            "session_minutes": 60,
            "cost_basis": "staff_hour",
        },
    )
    services.start_group(
        actor=actor,
        provision=p,
        name="G",
        starts_on=SPRING.starts,
        ends_on=SPRING.ends,
        child_ids=[k.pk for k in kids],
    )
    (talk,) = evaluate(world.setting.pk, [SPRING, SUMMER, AUTUMN]).provisions
    assert talk.compared == 5 and not talk.too_small and talk.mean_change == -1


def _summer_group(world, n: int) -> list:
    actor = Actor(user=world.users["sendco"])
    kids = [
        _child(world.authority, world.setting, f"Sum{n}x{i}", date(2017, 5, 1)) for i in range(n)
    ]
    ta = StaffRole.objects.get_or_create(
        setting=world.setting, name="TA", defaults={"hourly_cost": Decimal(18)}
    )[0]
    p = services.save_provision(
        actor=actor,
        setting=world.setting,
        data={
            "name": f"Talk {n}",
            "areas": [CI],
            "kind": "group",
            "staff_role": ta,
            "sessions_per_week": Decimal(2),
            "session_minutes": 60,
            "cost_basis": "staff_hour",
        },
    )
    services.start_group(
        actor=actor,
        provision=p,
        name=f"G{n}",
        starts_on=SUMMER.starts,
        ends_on=SUMMER.ends,
        child_ids=[k.pk for k in kids],
    )
    return kids


def test_the_authority_view_is_exact_for_administrators_and_suppressed_for_officers(world):
    _summer_group(world, 3)
    exact = authority_provision(world.authority, SUMMER, identifiable=True)
    area = exact.tables[0].rows[0]
    # 2 a week for 13 weeks at 18.00, shared by 3 children: the area's spend is the group's.
    assert area[1] == 3 and area[2] == Decimal("468.00")
    hidden = authority_provision(world.authority, SUMMER, identifiable=False)
    area = hidden.tables[0].rows[0]
    assert area[1] == suppression.HIDDEN and area[2] is None  # 3 children: no spend shown
    _summer_group(world, 12)
    area = authority_provision(world.authority, SUMMER, identifiable=False).tables[0].rows[0]
    assert area[1] == 15  # 15 children, rounded to 5
    assert area[2] == 900  # 936.00 rounded to the nearest 100 pounds
    assert published.spend(Decimal("250"), 9) is None and published.spend(Decimal(0), 0) == 0


def test_officers_and_governors_get_only_suppressed_provision(world, as_user):
    import io
    import json

    from django.urls import reverse
    from openpyxl import load_workbook
    from pypdf import PdfReader

    _summer_group(world, 3)
    officer = as_user("la_officer")
    page = officer.get(reverse("provision:authority") + "?term=autumn-2026").content.decode()
    assert "Summer 2026" in page and suppression.HIDDEN in page and "Kid" not in page
    assert "468" not in page
    api = json.loads(officer.get(reverse("api:provision-authority")).content)
    assert api["suppressed"] and api["term"] == "summer-2026"
    assert api["tables"][0]["rows"][0][1:3] == [suppression.HIDDEN, None]
    book = load_workbook(io.BytesIO(officer.get(reverse("provision:authority-xlsx")).content))
    cells = [v for ws in book.worksheets for r in ws.iter_rows(values_only=True) for v in r]
    assert 3 not in cells and 468 not in cells and suppression.HIDDEN in cells
    admin = json.loads(
        as_user("la_admin").get(reverse("api:provision-authority") + "?term=summer-2026").content
    )
    assert not admin["suppressed"] and admin["tables"][0]["rows"][0][1] == 3
    table = governors_spend_table(world.setting.pk, SUMMER)
    assert table.rows[0][1:] == [suppression.HIDDEN, None]
    pdf = as_user("governor").get(
        reverse("insights:governors", kwargs={"pk": world.setting.pk}), follow=True
    )
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Provision spending by area of need" in text and "468" not in text


def test_an_officer_cannot_ask_for_a_term_not_yet_ended(world, as_user):
    import json

    from django.urls import reverse

    data = json.loads(
        as_user("la_officer").get(reverse("api:provision-authority") + "?term=summer-2027").content
    )
    assert data["term"] == "summer-2026"


def test_the_authority_view_asks_the_same_number_of_queries_whatever_the_children(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            authority_provision(world.authority, SUMMER, identifiable=False)
        return len(ctx.captured_queries)

    _summer_group(world, 2)
    authority_provision(world.authority, SUMMER, identifiable=True)  # stored rows made once
    # Read from the stored rows: the settings, and for each of the two kinds the rows' stamps
    # (and, when a setting's rows changed since this process last read them, those rows).
    unchanged = count()
    _summer_group(world, 14)
    assert (unchanged, count()) == (3, 5)


def test_a_child_with_provision_at_two_settings_counts_once_in_the_authority(world):
    from vsend.children.models import Enrolment

    child = world.child
    Enrolment.objects.create(child=child, setting=world.other_setting, started_on=SUMMER.starts)
    for setting, persona in ((world.setting, "sendco"), (world.other_setting, "other_setting")):
        actor = Actor(user=world.users[persona])
        ta = StaffRole.objects.create(setting=setting, name="TA", hourly_cost=Decimal(18))
        p = services.save_provision(
            actor=actor,
            setting=setting,
            data={
                "name": "Talk",
                "areas": [CI],
                "kind": "individual",
                "staff_role": ta,
                "sessions_per_week": Decimal(1),
                "session_minutes": 60,
                "cost_basis": "staff_hour",
            },
        )
        services.start_group(
            actor=actor,
            provision=p,
            name="Talk",
            starts_on=SUMMER.starts,
            ends_on=SUMMER.ends,
            child_ids=[child.pk],
        )
    view = authority_provision(world.authority, SUMMER, identifiable=True)
    area, locality, by_setting, used = (t.rows for t in view.tables)
    # 13 sessions at 18.00 at each setting: both spends count, the child once.
    assert area[0][1:3] == [1, Decimal("468.00")]
    assert [r[1] for r in by_setting if r[1]] == [1, 1]
    assert locality[-1][:3] == ["Whole authority", 1, Decimal("468.00")]
    assert used == [["Talk", 1, Decimal("468.00")]]
    # The stored rows (kept by the services' events) equal the figures from scratch.
    from vsend.aggregates import store
    from vsend.provision import stored

    ids = (world.setting.pk, world.other_setting.pk)
    for kind in (stored.SPEND, stored.CHANGE):
        rows = store.rows(kind, world.authority.pk, SUMMER.ends, ids)
        compute = stored.compute_spend if kind == stored.SPEND else stored.compute_change
        for dup in (False, True):
            fresh = compute(world.authority.pk, ids, SUMMER.ends, dup)
            assert {pk: (r.duplicates if dup else r.values) for pk, r in rows.items()} == fresh
