"""Brookside Primary's register: the columns of its MIS export, confirmed once and remembered,
and the register it loaded at the start of term (counts only: the file itself is not kept)."""

from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from vsend.accounts.models import Membership
from vsend.accounts.roles import Role
from vsend.exchange.models import ColumnMapping, ImportStatus, RegisterImport, Source

if TYPE_CHECKING:
    from vsend.demo.loader import Builder

# The columns of a SIMS-style export, as Brookside's SENDCo confirmed them.
MAPPING = {
    "upn": "UPN",
    "last_name": "Legal Surname",
    "first_name": "Legal Forename",
    "preferred_name": "Preferred Forename",
    "date_of_birth": "DOB",
    "sex": "Gender",
    "year_group": "Year",
    "reg_group": "Reg Group",
    "sen_provision": "SEN Provision",
    "primary_need": "SEN Need Type 1",
    "secondary_need": "SEN Need Type 2",
    "sen_start": "SEN Start Date",
}
FILE_NAME = "brookside-sims-sen-register.csv"


def add_register_history(builder: "Builder") -> None:
    setting = builder.settings["brookside"]
    sendco = (
        Membership.objects.filter(role=Role.SENDCO, setting=setting).select_related("user").first()
    )
    if sendco is None:
        return
    loaded = timezone.make_aware(datetime.combine(builder.today - timedelta(days=60), time(9, 30)))
    ColumnMapping.objects.get_or_create(
        setting=setting,
        defaults={"mapping": MAPPING, "confirmed_by": sendco.user, "confirmed_at": loaded},
    )
    on_roll = len(builder.by_setting.get("brookside", []))
    RegisterImport.objects.get_or_create(
        setting=setting,
        file_name=FILE_NAME,
        defaults={
            "user": sendco.user,
            "source": Source.CSV,
            "mapping": MAPPING,
            "status": ImportStatus.APPLIED,
            "counts": {"added": 0, "changed": 4, "unchanged": max(on_roll - 4, 0), "left": 0},
            "applied_at": loaded,
            # Kept as a record of what was loaded, long after an upload would have expired.
            "expires_at": loaded + timedelta(days=3650),
        },
    )
