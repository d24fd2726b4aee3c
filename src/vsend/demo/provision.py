"""Demo costed provision: at each school with a SENDCo, a catalogue from the library, staff roles
with hourly costs, groups and individual provision over last term, this term and next for the
children whose profiles show need in the provision's areas, some missed sessions with reasons,
a pay award and a counselling charge that went up this term, and a notional SEN budget. Safe to
run again: a setting that has a catalogue is left as it is.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from vsend.accounts.models import Membership
from vsend.accounts.roles import Role
from vsend.audit.models import Channel
from vsend.audit.services import Actor, system_actor
from vsend.children.models import Enrolment
from vsend.insights.terms import previous_term, term_containing
from vsend.profiles.models import DomainRating, SupportAction
from vsend.provision import services
from vsend.provision.library import library
from vsend.provision.maps import academic_year, next_term
from vsend.provision.models import MissedReason, Place, Provision, ProvisionGroup

GROUP_SIZE = (3, 6)
BUDGETS = {"primary": 24000, "secondary": 65000, "all_through": 70000, "special": 90000}


def _needing(setting_id: int, areas: list[str], on: date) -> list[int]:
    """Children at the setting whose latest finalised profile shows need 2 or more in an area."""
    enrolled = Enrolment.objects.current(on).filter(setting_id=setting_id).values("child_id")
    return sorted(
        set(
            DomainRating.objects.filter(
                profile__child_id__in=enrolled,
                profile__status="finalised",
                profile__superseded_on__isnull=True,
                domain__in=areas,
                need_level__gte=2,
            ).values_list("profile__child_id", flat=True)
        )
    )


def build_provision(today: date) -> None:
    rng = random.Random(13)  # noqa: S311 - demo data, not security
    actor = system_actor("demo")
    sendcos = Membership.objects.filter(role=Role.SENDCO, setting__isnull=False).select_related(
        "setting", "user"
    )
    keys = [e["key"] for e in library()]
    current = term_containing(today)
    last, coming = previous_term(current), next_term(current)
    for m in sendcos:
        setting = m.setting
        assert setting is not None
        if Provision.objects.filter(setting=setting).exists():
            continue
        services.add_from_library(actor=actor, setting=setting, keys=keys)
        for name, cost in (("Specialist teacher", "45.00"), ("Teaching assistant", "18.50")):
            role = setting.staff_roles.filter(name=name).first()
            if role is not None:
                services.save_staff_role(
                    actor=actor, setting=setting, name=name, hourly_cost=Decimal(cost), role=role
                )
        services.set_budget(
            actor=actor,
            setting=setting,
            year=academic_year(current),
            amount=Decimal(BUDGETS.get(setting.setting_type, 20000)),
        )
        # Groups are made in the SENDCo's name (a group records who started it).
        actor_user = Actor(user=m.user, channel=Channel.SYSTEM, job="demo", batch=actor.batch)
        for provision in Provision.objects.filter(setting=setting).exclude(kind="whole_class"):
            children = _needing(setting.pk, list(provision.areas), today)
            rng.shuffle(children)
            individual = provision.kind in ("individual", "external")
            size = 1 if individual else rng.randint(*GROUP_SIZE)
            for n in range(2 if individual else 1):
                chosen = children[n * size : (n + 1) * size]
                if not chosen:
                    break
                starts = last.starts + timedelta(days=rng.randint(10, 40))
                ends = min(coming.ends, current.ends + timedelta(days=rng.choice([0, 40, 90])))
                group = services.start_group(
                    actor=actor_user,
                    provision=provision,
                    name=f"{provision.name} ({'individual' if individual else 'group'} {n + 1})",
                    starts_on=starts,
                    ends_on=ends,
                    child_ids=chosen,
                )
                _link_actions(group, chosen)
                _miss_some(group, today, rng, actor_user)
        # A pay award from the start of this term: last term keeps its costs (ADR 32).
        assistant = setting.staff_roles.filter(name="Teaching assistant").first()
        if assistant is not None:
            services.save_staff_role(
                actor=actor,
                setting=setting,
                name=assistant.name,
                hourly_cost=assistant.hourly_cost + Decimal("0.75"),
                role=assistant,
                applies_from=current.starts,
            )
        # The counselling service's charge a session went up at the start of this term: last
        # term keeps the old charge (ADR 32).
        counselling = Provision.objects.filter(setting=setting, library_key="counselling").first()
        if counselling is not None and counselling.cost_basis == "session":
            services.save_provision(
                actor=actor,
                setting=setting,
                data={"cost": counselling.cost + Decimal("4.00")},
                provision=counselling,
                applies_from=current.starts,
            )


def _link_actions(group: ProvisionGroup, child_ids: list[int]) -> None:
    """Tie each place to a plan action in the provision's areas, where the plan has one."""
    areas = list(group.provision.areas)
    for place in Place.objects.filter(group=group, child_id__in=child_ids):
        action = (
            SupportAction.objects.filter(
                profile__child_id=place.child_id,
                profile__superseded_on__isnull=True,
                domain__in=areas,
            )
            .order_by("-profile__number")
            .first()
        )
        if action is not None:
            place.action = action
            place.save(update_fields=["action"])


def _miss_some(group: ProvisionGroup, today: date, rng: random.Random, actor: Actor) -> None:
    days = (min(group.ends_on, today) - group.starts_on).days
    if days < 14:
        return
    dates = sorted(
        {group.starts_on + timedelta(days=rng.randint(0, days)) for _ in range(rng.randint(1, 3))}
    )
    reason = rng.choice([MissedReason.STAFF_ABSENT, MissedReason.SETTING_EVENT])
    services.record_missed(actor=actor, group=group, dates=dates, reason=reason)
    child = group.places.order_by("child_id").values_list("child_id", flat=True).first()
    absent = dates[-1] + timedelta(days=7)
    if child is not None and absent <= min(today, group.ends_on):
        services.record_missed(
            actor=actor,
            group=group,
            dates=[absent],
            reason=MissedReason.CHILD_ABSENT,
            child_ids=[child],
        )
