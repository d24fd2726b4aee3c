"""Stored per-setting aggregates: equal to the figures from scratch after any sequence of
changes, kept fresh by the services' events, summed to localities and the authority with each
child counted once."""

import contextlib
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vsend.accounts.models import User
from vsend.aggregates import events, store
from vsend.aggregates.models import Event, SettingAggregate
from vsend.audit.services import system_actor
from vsend.children import services as child_services
from vsend.children.models import Child, Enrolment
from vsend.frameworks import registry
from vsend.frameworks.loader import DOMAIN_KEYS
from vsend.insights import aggregate, dashboards, figures
from vsend.insights.queries import Filters, Scope
from vsend.insights.terms import previous_term, term_containing
from vsend.profiles import services as profile_services
from vsend.profiles.models import STEPS, DomainRating, Profile, Status

ACTOR = system_actor("test")


def draft(child, need, assessed, previous=None):
    fw = registry.current("5_to_25")
    p = Profile.objects.create(
        child=child,
        number=(previous.number + 1) if previous else 1,
        previous=previous,
        status=Status.DRAFT,
        framework_id=fw.id,
        framework_version=fw.version,
        framework_checksum=fw.checksum,
        age_band="5_to_25",
        assessment_date=assessed,
        review_date=assessed + timedelta(weeks=10),
        completed_steps=list(STEPS),
        created_by=User.objects.get(email="sendco@example.org"),
    )
    DomainRating.objects.bulk_create(
        [
            DomainRating(profile=p, domain=k, need_level=n, readiness_level=1, confidence_level=2)
            for k, n in zip(DOMAIN_KEYS, need, strict=True)
        ]
    )
    return p


def finalise(child, need, assessed):
    previous = (
        Profile.objects.filter(child=child, status=Status.FINALISED).order_by("-number").first()
    )
    if previous is not None and previous.assessment_date >= assessed:
        assessed = previous.assessment_date + timedelta(days=1)
    p = draft(child, need, assessed, previous)
    profile_services.finalise(actor=ACTOR, profile=p, expected=p.lock_version)


def oracle(authority, as_at):
    """From scratch, child by child in Python: per setting and for the authority (each child
    once), the children, SEN support, EHC plans, profiled, and children at each need level."""
    scale = registry.current("5_to_25")
    per_setting, everyone = {}, {}
    for e in Enrolment.objects.filter(setting__authority=authority).select_related("child"):
        if not (e.started_on <= as_at and (e.ended_on is None or e.ended_on >= as_at)):
            continue
        c = e.child
        p = (
            Profile.objects.filter(child=c, status=Status.FINALISED, assessment_date__lte=as_at)
            .exclude(superseded_on__lte=as_at)
            .first()
        )
        figures_ = {"c.children": 1, f"c.{'sen_support' if c.sen_provision == 'K' else 'x'}": 1}
        if c.sen_provision == "E":
            figures_["c.ehc_plan"] = 1
        if p is not None:
            figures_["c.profiled"] = 1
            for r in p.ratings.all():
                figures_[f"{r.domain}.lv{r.need_level}"] = 1
                if r.need_level >= scale.significant_from:
                    figures_[f"{r.domain}.sig"] = 1
        for key, v in figures_.items():
            per_setting.setdefault(e.setting_id, {}).setdefault(key, 0)
            per_setting[e.setting_id][key] += v
        everyone[c.pk] = figures_
    total: dict[str, int] = {}
    for f in everyone.values():
        store.add(total, f)
    return per_setting, total


def summary(block):
    out = {
        "c.children": block.cohort.children,
        "c.sen_support": block.cohort.sen_support,
        "c.ehc_plan": block.cohort.ehc_plan,
        "c.profiled": block.cohort.profiled,
    }
    for k, d in block.domains.items():
        for i, n in enumerate(d.levels):
            out[f"{k}.lv{i}"] = n
        out[f"{k}.sig"] = d.significant
    return {k: v for k, v in out.items() if v}


def trim(d):
    return {k: v for k, v in d.items() if v and not k.startswith("c.x")}


OPS = st.lists(
    st.tuples(
        st.sampled_from(["finalise", "review", "edit", "transfer", "dual", "move_class"]),
        st.integers(0, 5),  # which child
        st.lists(st.integers(0, 4), min_size=5, max_size=5),
    ),
    min_size=1,
    max_size=8,
)


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=OPS)
def test_stored_rows_equal_figures_from_scratch_after_any_changes(world, ops):
    today = timezone.localdate()
    term_end = previous_term(term_containing(today)).ends
    with transaction.atomic():
        kids = list(Child.objects.filter(authority=world.authority).order_by("pk"))
        # The stored rows exist before the changes, as on a running service.
        for as_at in (today, term_end):
            store.rows(aggregate.KIND, world.authority.pk, as_at)
        for op, which, need in ops:
            child = kids[which % len(kids)]
            if op in ("finalise", "review"):
                back = 200 if op == "finalise" else 0
                finalise(child, need, today - timedelta(days=back + need[0]))
            elif op == "edit":
                fields = {
                    f: getattr(child, f)
                    for f in ("first_name", "last_name", "date_of_birth", "sex", "upn")
                    + ("preferred_name", "primary_need", "secondary_need", "sen_provision")
                }
                fields["sen_provision"] = "E" if need[0] > 2 else "K" if need[0] else "N"
                fields["sex"] = "F" if need[1] > 2 else "M"
                child.refresh_from_db()
                child_services.update_child(
                    actor=ACTOR, child=child, details=fields, expected_version=child.version
                )
            elif op in ("transfer", "dual"):
                # The authority's transfer (or a second registration), through its service,
                # which announces the change itself.
                current = Enrolment.objects.current(today).filter(child=child).first()
                to = (
                    world.other_setting
                    if current and current.setting == world.setting
                    else world.setting
                )
                with contextlib.suppress(child_services.AlreadyOnRoll):
                    child_services.transfer_child(
                        actor=ACTOR,
                        child=child,
                        placement=child_services.Placement(to, "3", None, today),
                        dual=op == "dual",
                    )
            elif op == "move_class":
                from vsend.organisations.services import move_children

                if (
                    Enrolment.objects.current(today)
                    .filter(child=child, setting=world.setting)
                    .exists()
                ):
                    move_children(
                        actor=ACTOR,
                        setting=world.setting,
                        child_ids=[child.pk],
                        to_class=world.class_3y,
                    )
        for as_at in (today, term_end):
            per_setting, total = oracle(world.authority, as_at)
            found = figures.figures(Scope(world.authority.pk), Filters(), as_at)
            for pk in (world.setting.pk, world.other_setting.pk):
                assert summary(found.setting(pk)) == trim(per_setting.get(pk, {})), (as_at, pk)
            assert summary(found.group()) == trim(total), as_at
            # ... and equal to the same queries run from scratch now.
            scratch = aggregate.compute(world.authority.pk, None, as_at, False)
            assert found.values == {pk: scratch.get(pk, {}) for pk in found.values}
        transaction.set_rollback(True)


def _ehc(dashboard):
    return dict(next(t for t in dashboard.tables if t.key == "children").rows)["EHC plan"]


def test_a_child_edit_changes_the_stored_figures(world):
    """Fails if update_child stops announcing the change."""
    today = timezone.localdate()
    la = world.users["la_admin"]
    before = _ehc(dashboards.authority_dashboard(la, world.authority, Filters(), today))
    assert SettingAggregate.objects.filter(authority=world.authority, as_at=today).exists()
    child = world.child
    details = {
        f: getattr(child, f)
        for f in ("first_name", "last_name", "date_of_birth", "sex", "upn", "preferred_name")
        + ("primary_need", "secondary_need", "sen_provision")
    }
    details["sen_provision"] = "E"
    child_services.update_child(
        actor=ACTOR, child=child, details=details, expected_version=child.version
    )
    after = _ehc(dashboards.authority_dashboard(la, world.authority, Filters(), today))
    assert after == before + 1
    setting_view = dashboards.setting_dashboard(
        world.users["sendco"], world.setting, Filters(), today
    )
    assert _ehc(setting_view) == 1


def test_a_finalise_recomputes_only_its_own_settings_rows(world):
    today = timezone.localdate()
    store.rows(aggregate.KIND, world.authority.pk, today)
    other = SettingAggregate.objects.get(
        kind=aggregate.KIND, setting=world.other_setting, as_at=today
    )
    finalise(world.child, [4, 4, 4, 4, 4], today)
    assert (
        SettingAggregate.objects.get(
            kind=aggregate.KIND, setting=world.other_setting, as_at=today
        ).computed_at
        == other.computed_at
    )
    mine = SettingAggregate.objects.get(kind=aggregate.KIND, setting=world.setting, as_at=today)
    assert mine.computed_at > other.computed_at
    assert mine.values["s5.3.d.semh.lv4"] == 1
    assert Event.objects.filter(kind="profile.finalised", processed_at__isnull=False).count() == 1


def test_a_child_at_two_settings_counts_once_in_the_authority(world):
    today = timezone.localdate()
    Enrolment.objects.create(child=world.child, setting=world.other_setting, started_on=today)
    events.announce("enrolment.started", authority_id=world.authority.pk, child_id=world.child.pk)
    found = figures.figures(Scope(world.authority.pk), Filters(), today)
    assert found.setting(world.setting.pk).cohort.children == 3
    assert found.setting(world.other_setting.pk).cohort.children == 2
    assert found.group().cohort.children == 4  # Amelia once
    # The computed path (a filtered view) agrees.
    filtered = figures.figures(Scope(world.authority.pk), Filters(sex="F"), today)
    assert filtered.group().cohort.children == sum(
        1
        for c in Child.objects.filter(authority=world.authority, sex="F")
        if Enrolment.objects.current(today).filter(child=c).exists()
    )


def test_events_a_handler_failed_on_are_processed_by_the_job(world, monkeypatch):
    today = timezone.localdate()
    store.rows(aggregate.KIND, world.authority.pk, today)

    def broken(event):
        raise RuntimeError("down")

    monkeypatch.setattr(events, "handle", broken)
    finalise(world.child, [4, 4, 4, 4, 4], today)
    assert Event.objects.filter(processed_at__isnull=True).count() == 1
    stale = SettingAggregate.objects.get(
        kind=aggregate.KIND, setting=world.setting, as_at=today
    ).values
    monkeypatch.undo()
    assert events.process_events() == 1
    fresh = SettingAggregate.objects.get(
        kind=aggregate.KIND, setting=world.setting, as_at=today
    ).values
    assert fresh != stale and fresh.get("s5.3.d.semh.lv4") == 1


def test_a_child_at_two_settings_counts_once_in_computed_trends(world):
    """The trend of a filtered view (computed, not read from stored rows) counts a child
    registered at two settings once, as the stored sums do."""
    today = timezone.localdate()
    finalise(world.child, [4, 3, 2, 1, 0], today)
    Enrolment.objects.create(child=world.child, setting=world.other_setting, started_on=today)
    events.announce("enrolment.started", authority_id=world.authority.pk, child_id=world.child.pk)
    scope = Scope(world.authority.pk)
    stored = figures.trend(scope, Filters(), [today])[0]
    computed = figures.trend(scope, Filters(sex=world.child.sex), [today])[0]
    profiled_with_sex = {
        p.child_id
        for p in Profile.objects.filter(
            status=Status.FINALISED,
            child__authority=world.authority,
            child__sex=world.child.sex,
            superseded_on__isnull=True,
        )
    }
    assert computed[DOMAIN_KEYS[0]][0] == len(profiled_with_sex)
    assert (
        stored[DOMAIN_KEYS[0]][0]
        == Profile.objects.filter(
            status=Status.FINALISED, child__authority=world.authority, superseded_on__isnull=True
        )
        .values("child_id")
        .distinct()
        .count()
    )
    # Within one setting, the child counts wherever they are registered.
    for setting in (world.setting, world.other_setting):
        one = figures.trend(
            Scope(world.authority.pk, setting_id=setting.pk), Filters(sex=world.child.sex), [today]
        )[0]
        assert one[DOMAIN_KEYS[0]][0] >= 1
