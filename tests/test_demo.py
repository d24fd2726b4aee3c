import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Avg, Count
from django.test import Client
from django.utils import timezone

from vsend.accounts.roles import Role
from vsend.audit.models import AuditEvent
from vsend.children.models import Child
from vsend.organisations.models import Setting
from vsend.profiles.models import DomainRating, Profile, Status


def run_demo() -> dict:
    out = StringIO()
    call_command("demo", "--json", stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.django_db
def test_the_demo_builds_a_realistic_authority_and_is_idempotent(settings):
    settings.VSEND_DEMO_PASSWORD = "demo-password-for-tests"
    first = run_demo()
    counts = Child.objects.count(), Setting.objects.count()
    second = run_demo()
    assert (Child.objects.count(), Setting.objects.count()) == counts
    assert first == second
    assert first["password"] == "demo-password-for-tests"
    loads = list(AuditEvent.objects.filter(object_type="demo").order_by("pk"))
    assert len(loads) == 2 and loads[0].detail["batch"] != loads[1].detail["batch"]
    assert loads[0].actor_label == f"System (batch {loads[0].detail['batch']})"

    assert Child.objects.count() >= 300
    assert Setting.objects.values("setting_type").distinct().count() >= 6
    assert Setting.objects.values("locality").distinct().count() == 2
    # Each demo school has its DfE establishment number, so it can make a Common Transfer File.
    from vsend.demo import data

    numbers = dict(Setting.objects.values_list("urn", "establishment_number"))
    assert {spec.urn: numbers[spec.urn] for spec in data.SETTINGS} == {
        spec.urn: spec.establishment for spec in data.SETTINGS
    }
    # Special-school place planning: designations with places and map positions, home areas,
    # and children in each priority funnel.
    from vsend.places.models import Centroid, Designation
    from vsend.places.planning import compute

    authority = Setting.objects.get(urn=data.SETTINGS[0].urn).authority
    assert Designation.objects.count() == 4 and Centroid.objects.count() == 8
    plan = compute(authority, timezone.localdate())
    assert all(s.located and s.places for s in plan.schools)
    assert {f.funnel for f in plan.funnel.values()} == {"A", "B", "C"}
    assert sum(plan.passes.values()) > 30
    by_provision = dict(Child.objects.values_list("sen_provision").annotate(n=Count("id")))
    assert by_provision["N"] > by_provision["K"] > 0 and by_provision["E"] > 0
    with_plans = Child.objects.filter(sen_provision="E")
    assert with_plans.filter(sex="M").count() > with_plans.filter(sex="F").count()
    assert not Child.objects.filter(sen_provision="N").exclude(primary_need="").exists()
    assert not Child.objects.filter(sen_provision="E", primary_need="NSA").exists()

    roles = {a["role"] for a in first["accounts"]}
    assert roles == set(Role.values)
    sendco_settings = {a["organisation_id"] for a in first["accounts"] if a["role"] == "sendco"}
    assert len(sendco_settings) >= 2
    # Termly profiles for most children with SEN: drafts, overdue reviews, families' own answers.
    profiles = Profile.objects.all()
    with_sen = Child.objects.exclude(sen_provision="N").count()
    assert profiles.values("child").distinct().count() > with_sen * 0.6
    assert profiles.filter(status=Status.DRAFT).exists()
    # Children's own pages: on their own, with staff, with a parent, one half done; a family's
    # view of need; and three views 2 levels apart somewhere, to talk about.
    from vsend.profiles.models import FamilyAnswers
    from vsend.profiles.selectors import profile_view
    from vsend.voice.models import AboutMe
    from vsend.voice.selectors import three_views

    pages = AboutMe.objects.all()
    assert set(pages.values_list("helper", flat=True)) == {"self", "staff", "family"}
    assert pages.filter(status="draft").exists() and pages.filter(number=2).exists()
    sent = FamilyAnswers.objects.filter(sent_at__isnull=False)
    assert any("need" in a for f in sent for a in f.answers.values())
    flagged = [
        three_views(profile_view(f.profile)).to_talk_about for f in sent.select_related("profile")
    ]
    assert any(flagged)
    assert profiles.filter(number__gte=3, previous__isnull=False).exists()
    overdue = profiles.filter(status=Status.FINALISED, review_date__lt=timezone.localdate())
    assert overdue.filter(next_version__isnull=True).exists()
    assert profiles.filter(home_by_family=True).exists()
    # Families asked for their answers about home: one waiting, one part way, one sent.
    from vsend.profiles.models import FamilyAnswers

    assert sorted(a.status for a in FamilyAnswers.objects.all()) == [
        "requested",
        "sent",
        "started",
    ]
    # A draft credits someone with home confidence exactly when it has the answers.
    for draft in profiles.filter(status=Status.DRAFT):
        rated = draft.ratings.filter(confidence_level__isnull=False).exists()
        assert (draft.home_recorded_by_id is not None) == rated, draft
    # Some drafts stopped part-way through setting readiness, one page per area.
    from vsend.frameworks.loader import DOMAIN_KEYS
    from vsend.profiles.tasks import resume_url

    part_way = [
        d
        for d in profiles.filter(status=Status.DRAFT)
        if "readiness" not in d.completed_steps
        and f"readiness:{DOMAIN_KEYS[0]}" in d.completed_steps
    ]
    assert part_way
    assert all(resume_url(d).endswith(f"/readiness/{DOMAIN_KEYS[2]}/") for d in part_way)
    asd = DomainRating.objects.filter(
        profile__child__primary_need="ASD", domain="communication_interaction"
    )
    others = DomainRating.objects.filter(
        profile__child__primary_need="PD", domain="communication_interaction"
    )
    assert asd.aggregate(m=Avg("need_level"))["m"] > others.aggregate(m=Avg("need_level"))["m"]
    # Costed provision at each school with a SENDCo: catalogue, groups, missed sessions, budgets.
    from vsend.provision.models import (
        MissedSession,
        Place,
        PlaceTermCost,
        ProvisionGroup,
        SenBudget,
    )

    assert ProvisionGroup.objects.values("setting").distinct().count() == len(sendco_settings)
    assert Place.objects.filter(action__isnull=False).exists()
    assert MissedSession.objects.filter(child__isnull=True).exists()
    assert MissedSession.objects.filter(child__isnull=False).exists()
    assert SenBudget.objects.count() == len(sendco_settings)
    assert PlaceTermCost.objects.values("term").distinct().count() >= 3
    # A teaching assistants' pay award from the start of this term, the rate before it kept.
    from vsend.insights.terms import term_containing
    from vsend.provision.models import StaffRoleRate

    this_term = term_containing(timezone.localdate()).starts
    assert StaffRoleRate.objects.filter(applies_from=this_term).count() == len(sendco_settings)
    # The counselling charge a session went up this term; the charge before it kept.
    from vsend.provision.models import ProvisionCost

    raised = ProvisionCost.objects.filter(applies_from=this_term, cost_basis="session")
    assert raised.filter(provision__library_key="counselling").exists()
    assert {c.cost for c in raised} == {Decimal("49.00")}
    assert not ProvisionCost.objects.filter(
        provision__in=raised.values("provision"), applies_from__lt=this_term, cost=Decimal("49.00")
    ).exists()

    out = StringIO()
    call_command("bench", "profile", "--runs", "3", "--pdf-runs", "3", stdout=out)
    assert "summary page  median" in out.getvalue() and "PDF job       median" in out.getvalue()
    assert "PDF request   median" in out.getvalue()

    teacher_localities = {
        Setting.objects.get(pk=a["organisation_id"]).locality_id
        for a in first["accounts"]
        if a["role"] == "teacher"
    }
    assert len(teacher_localities) == 2


@pytest.mark.django_db
def test_every_demo_account_signs_in_and_its_token_works(settings):
    data = run_demo()
    for account in data["accounts"][:6] + data["accounts"][-2:]:
        client = Client()
        response = client.post(
            "/sign-in/", {"username": account["username"], "password": data["password"]}
        )
        assert response.status_code == 302, account
        me = Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {account['api_token']}").json()
        assert me["email"] == account["username"]
        assert account["role"] in {m["role"] for m in me["memberships"]}


@pytest.mark.django_db
def test_the_demo_refuses_to_run_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="refuses to run"):
        call_command("demo")
    assert not Child.objects.exists()


@pytest.mark.django_db
def test_the_demo_has_invitations_waiting_and_a_suspended_account(settings):
    from django.urls import reverse

    from vsend.accounts.models import Invitation, User

    settings.VSEND_DEMO_PASSWORD = "demo-password-for-tests"
    run_demo()
    run_demo()  # loading again adds nothing
    statuses = sorted(i.status for i in Invitation.objects.all())
    assert statuses == ["expired", "pending", "pending"]
    carer = Invitation.objects.get(role="parent")
    assert carer.children.count() == 1 and carer.setting is not None
    suspended = User.objects.get(suspended_at__isnull=False)
    assert not suspended.is_active
    signed_in = Client().post(
        reverse("accounts:sign-in"),
        {"username": suspended.email, "password": "demo-password-for-tests"},
    )
    assert signed_in.status_code == 200  # refused


@pytest.mark.django_db
def test_the_demo_has_statutory_cases_at_every_stage(settings):
    from vsend.accounts.models import User
    from vsend.accounts.policy import AccessPolicy
    from vsend.statutory.models import Case, EhcPlan
    from vsend.statutory.selectors import worklist

    settings.VSEND_DEMO_PASSWORD = "demo-password-for-tests"
    run_demo()
    cases = Case.objects.all()
    count = cases.count()
    run_demo()
    assert Case.objects.count() == count  # idempotent
    assessments = cases.filter(kind="assessment")
    assert assessments.filter(closed_on__isnull=True).count() >= 5
    assert set(assessments.exclude(closed_reason="").values_list("closed_reason", flat=True)) >= {
        "Decided not to assess",
        "Decided not to issue a plan",
        "Final plan issued",
    }
    assert cases.filter(exceptions__isnull=False).exists()
    assert cases.filter(kind="annual_review", closed_on__isnull=True).count() >= 10
    assert EhcPlan.objects.exclude(section_f="").count() == EhcPlan.objects.count() > 10
    caseworker = User.objects.get(email__startswith="caseworker@")
    work = worklist(AccessPolicy.for_user(caseworker), timezone.localdate())
    assert work.overdue and work.paused
    # A demo parent sees their child's request.
    assert assessments.filter(requester="parent").exists()
    # Plan outcomes name areas; reviews from Year 9 prepare for adulthood; a request came by
    # letter and one was withdrawn by the family.
    from vsend.statutory.models import AdulthoodPart, PlanOutcome

    assert not EhcPlan.objects.filter(outcomes__isnull=True).exists()
    assert all(o.areas for o in PlanOutcome.objects.all())
    assert AdulthoodPart.objects.exists()
    assert assessments.filter(received_how="letter", closed_on__isnull=True).exists()
    assert assessments.filter(withdrawn=True, withdrawn_by="family").exists()


@pytest.mark.django_db
def test_the_demo_has_transition_plans_at_every_stage(settings):
    from vsend.transitions.models import TransitionPlan

    settings.VSEND_DEMO_PASSWORD = "demo-password-for-tests"
    run_demo()
    count = TransitionPlan.objects.count()
    run_demo()
    assert TransitionPlan.objects.count() == count  # idempotent
    plans = TransitionPlan.objects.all()
    assert plans.filter(template="special-to-mainstream", ended_on__isnull=True).count() >= 2
    assert plans.filter(template="enhanced-transition", ended_on__isnull=True).count() >= 1
    assert set(plans.exclude(outcome="").values_list("outcome", flat=True)) >= {
        "returned_to_mainstream",
        "stayed_in_special",
        "school_support",
        "referred_for_assessment",
    }
    assert plans.filter(reviews__isnull=False).exists()
    # The enhanced transition that ended in a referral led to a request from the school, which
    # the plan's page links to and which the child's caseworker has on their work list.
    from vsend.statutory.models import Case

    referred = plans.get(outcome="referred_for_assessment")
    request = Case.objects.get(child=referred.child, kind="assessment", closed_on__isnull=True)
    assert request.started_on >= referred.ended_on and request.requester == "setting"
    assert referred.child.case_assignments.exists()


@pytest.mark.django_db
def test_the_demo_families_see_a_realistic_access_log(settings):
    """parent1's child has been opened by staff at their school and by the parent; the log
    reads it in plain words, and loading the demo again adds no rows."""
    from django.urls import reverse

    from vsend.children.models import FamilyLink
    from vsend.demo.access_history import DEMO_MARK

    settings.VSEND_DEMO_PASSWORD = "demo-password-for-tests"
    run_demo()
    rows = AuditEvent.objects.filter(detail__demo=DEMO_MARK)
    count = rows.count()
    run_demo()
    assert rows.count() == count > 0
    link = FamilyLink.objects.filter(
        user__email="parent1@fenmoor.example", child__sen_provision__in=["K", "E"]
    ).first()
    client = Client()
    client.force_login(link.user)
    page = client.get(reverse("family:access", kwargs={"pk": link.child_id})).content.decode()
    assert "A SENDCo at " in page and "You looked at the record." in page
