"""A small provision set-up in the conftest world: setting A1 runs a talk group for the
persona's child (class 3X) and a classmate (class 3Y)."""

from datetime import date
from decimal import Decimal

from vsend.audit.services import Actor
from vsend.provision import services
from vsend.provision.models import Provision, ProvisionGroup, StaffRole


def world_group(world) -> ProvisionGroup:  # type: ignore[no-untyped-def]
    existing = ProvisionGroup.objects.filter(setting=world.setting, name="Talk group").first()
    if existing is not None:
        return existing
    actor = Actor(user=world.users["sendco"])
    role, _ = StaffRole.objects.get_or_create(
        setting=world.setting, name="Teaching assistant", defaults={"hourly_cost": Decimal("18")}
    )
    provision = Provision.objects.filter(setting=world.setting, name="Talk time").first()
    if provision is None:
        provision = services.save_provision(
            actor=actor,
            setting=world.setting,
            data={
                "name": "Talk time",
                "areas": ["communication_interaction"],
                "kind": "group",
                "staff_role": role,
                "sessions_per_week": Decimal(2),
                "session_minutes": 30,
                "cost_basis": "staff_hour",
            },
        )
    return services.start_group(
        actor=actor,
        provision=provision,
        name="Talk group",
        starts_on=date(2026, 9, 7),
        ends_on=date(2027, 3, 26),
        child_ids=[world.child.pk, world.classmate.pk],
    )
