"""What a new authority's administrator does first, as a GOV.UK task list.

Each task's status is computed from the data, never ticked by hand: settings loaded, localities
added, a SENDCo invited for every setting, LA staff invited, the administrator's own
authenticator app. The list is shown until the authority has settings and SENDCos.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import NoReverseMatch, reverse

from vsend.accounts.models import Membership
from vsend.accounts.roles import Role
from vsend.organisations.models import LocalAuthority, Locality, Setting

# The pages each task is done on (each takes the authority's id, but the last); a task whose
# page is not installed is shown without a link.
GIAS_UPLOAD = "organisations:import"
LOCALITIES = "organisations:locality-create"
PEOPLE = "people:authority"
INVITE = "people:authority-invite"
AUTHENTICATOR = "accounts:mfa-setup"


class Status(StrEnum):
    CANNOT_START = "Cannot start yet"
    NOT_STARTED = "Not yet started"
    IN_PROGRESS = "In progress"
    COMPLETED = "Completed"


@dataclass(frozen=True)
class Task:
    title: str
    hint: str
    status: Status
    href: str | None

    @property
    def tag(self) -> dict[str, str] | None:
        """The GOV.UK tag for an unfinished task (a completed one is plain text)."""
        colour = {
            Status.NOT_STARTED: "govuk-tag--blue",
            Status.IN_PROGRESS: "govuk-tag--light-blue",
        }.get(self.status)
        return {"text": self.status.value, "classes": colour} if colour else None


def optional_url(name: str, pk: int | None = None) -> str | None:
    try:
        return reverse(name, kwargs={"pk": pk} if pk is not None else None)
    except NoReverseMatch:
        return None


@dataclass(frozen=True)
class Progress:
    authority_id: int
    localities: int
    settings: int
    settings_with_sendco: int
    la_staff: int

    @property
    def set_up(self) -> bool:
        return self.settings > 0 and self.settings_with_sendco > 0


def progress(authority: LocalAuthority) -> Progress:
    """The authority's set-up, counted by the database (three queries)."""
    sendco = Membership.objects.filter(setting=OuterRef("pk"), role=Role.SENDCO)
    settings = (
        Setting.objects.filter(authority=authority)
        .annotate(has_sendco=Exists(sendco))
        .aggregate(total=Count("pk"), with_sendco=Count("pk", filter=Q(has_sendco=True)))
    )
    staff = Membership.objects.filter(
        authority=authority, role__in=[Role.LA_OFFICER, Role.CASEWORKER]
    ).count()
    return Progress(
        authority_id=authority.pk,
        localities=Locality.objects.filter(authority=authority).count(),
        settings=settings["total"],
        settings_with_sendco=settings["with_sendco"],
        la_staff=staff,
    )


def _done(condition: bool) -> Status:
    return Status.COMPLETED if condition else Status.NOT_STARTED


def tasks(p: Progress, *, has_authenticator: bool) -> list[Task]:
    if not p.settings:
        sendcos = Status.CANNOT_START
    elif p.settings_with_sendco == p.settings:
        sendcos = Status.COMPLETED
    else:
        sendcos = Status.IN_PROGRESS if p.settings_with_sendco else Status.NOT_STARTED
    return [
        Task(
            "Load your settings from Get Information about Schools",
            "Upload the register's CSV extract for your authority: schools, early years "
            "settings and colleges, with their URN and type",
            _done(p.settings > 0),
            optional_url(GIAS_UPLOAD, p.authority_id),
        ),
        Task(
            "Add localities",
            "Group your settings into the localities you plan and report by",
            _done(p.localities > 0),
            optional_url(LOCALITIES, p.authority_id),
        ),
        Task(
            "Invite a SENDCo for each setting",
            f"{p.settings_with_sendco} of {p.settings} settings have a SENDCo"
            if p.settings
            else "Load your settings first",
            sendcos,
            optional_url(PEOPLE, p.authority_id) if p.settings else None,
        ),
        Task(
            "Invite LA officers and caseworkers",
            "Optional: colleagues who see the authority's figures or the children they work with",
            _done(p.la_staff > 0),
            optional_url(INVITE, p.authority_id),
        ),
        Task(
            "Set up your authenticator app",
            "And keep your recovery codes somewhere safe",
            _done(has_authenticator),
            None if has_authenticator else optional_url(AUTHENTICATOR),
        ),
    ]
