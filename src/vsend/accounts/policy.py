"""One access policy per request: what the user may do, which children they reach, and how much
of a setting's or authority's figures they may see.

Built once from the user's memberships, the role declarations (vsend.accounts.roles) and each
membership's reach (vsend.children.selectors.membership_reach), and cached for the request, so a
page asks the database about one child's permissions once however many questions it has.

- Reach: a membership reaches children only if its role grants some permission on a child; a
  child outside every such membership's reach does not exist for the user (404).
- can(perm, child): one membership both reaches the child and grants the permission.
- Moving between settings (ADR 20): a setting's staff reach a child while the child is on its
  roll (membership_reach): the receiving setting from the start date, the leaving setting up to
  and including the leaving date and not after (it keeps no access to what it wrote: the record
  went with the child). Only the transfer path puts a child on a setting's roll: the receiving
  SENDCo's exact UPN and date of birth (after the leaving setting recorded the leaving), or an
  authority transfer (may_change_roll, TRANSFER_CHILD).
- Disclosure: figures about a setting or an authority are IDENTIFIABLE (small counts shown, links
  to the children behind them) only through a membership that opens the dashboard and may also
  see the children across it; for everyone else who may open it they are ANONYMOUS.
"""

from copy import copy
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.db.models import BooleanField, ExpressionWrapper, F, Q, QuerySet

from vsend.accounts.roles import (
    AUTHORITY_ROLES,
    CHILD_LINKED_ROLES,
    CHILD_PERMISSIONS,
    CLASS_ROLES,
    IDENTIFYING_PERMISSION,
    ROLE_PERMISSIONS,
    SETTING_ROLES,
    Perm,
    Role,
    grantable_by,
)
from vsend.children.models import Child
from vsend.children.selectors import NOTHING, membership_reach

if TYPE_CHECKING:
    from vsend.accounts.models import Membership
    from vsend.organisations.models import LocalAuthority, Setting
    from vsend.profiles.models import Profile

CACHE_ATTR = "_vsend_access_policy"


class Disclosure(StrEnum):
    IDENTIFIABLE = "identifiable"  # may see the children: small counts, names, links
    ANONYMOUS = "anonymous"  # figures only, through disclosure control


@dataclass(frozen=True)
class SettingDisclosure:
    """What one user sees of a setting: which children, and whether they may be identified.

    Decided by the single most open membership, never by mixing roles: a teacher who is also a
    governor sees their classes identifiably, or the whole setting anonymously, not both.
    """

    level: Disclosure
    class_ids: tuple[int, ...] | None = None  # None: the whole setting

    @property
    def identifiable(self) -> bool:
        return self.level is Disclosure.IDENTIFIABLE


ANONYMOUS_SETTING = SettingDisclosure(Disclosure.ANONYMOUS)


def _grants(m: "Membership", perm: str) -> bool:
    return perm in ROLE_PERMISSIONS.get(m.role, frozenset())


def _covers_setting(m: "Membership", setting: "Setting") -> bool:
    return (
        m.role == Role.PLATFORM_ADMIN
        or m.setting_id == setting.pk
        or (m.setting_id is None and m.authority_id == setting.authority_id)
    )


def _covers_authority(m: "Membership", authority: "LocalAuthority") -> bool:
    return m.role == Role.PLATFORM_ADMIN or (
        m.setting_id is None and m.authority_id == authority.pk
    )


def _prefixed(q: Q, prefix: str) -> Q:
    """The same filter, applied through a relation (e.g. "child__" from a profile)."""
    if not prefix:
        return q
    out = copy(q)
    out.children = [
        _prefixed(c, prefix) if isinstance(c, Q) else (prefix + c[0], c[1])  # type: ignore[index]
        for c in q.children
    ]
    return out


def first_unordered(qs: QuerySet[Any]) -> Any:
    """The first row of a query that can match at most one (a primary key filter), or None.

    `.first()` would order by the model's ordering; for a wide row with a join, Django takes
    about a millisecond of Python to compile that ORDER BY, for nothing."""
    return next(iter(qs.order_by()[:1]), None)


class AccessPolicy:
    """Everything one user may do and see, decided here and nowhere else."""

    def __init__(self, user: Any) -> None:
        signed_in = user is not None and getattr(user, "is_authenticated", False)
        self.user = user if signed_in else None
        self.memberships: list[Membership] = user.active_memberships() if signed_in else []
        # Memberships that reach children, with their reach; those reaching nothing are left out.
        self._reaches: list[tuple[Membership, Q]] = []
        for m in self.memberships:
            if ROLE_PERMISSIONS.get(m.role, frozenset()) & CHILD_PERMISSIONS:
                q = membership_reach(m)
                if q is not NOTHING:
                    self._reaches.append((m, q))
        self._reach_by_perm: dict[str | None, Q] = {}
        self._child_perms: dict[int, frozenset[str]] = {}

    # Building and caching

    @classmethod
    def for_user(cls, user: Any) -> "AccessPolicy":
        """The user's policy, built once (and again only if their memberships are reloaded)."""
        if user is None or not getattr(user, "is_authenticated", False):
            return cls(None)
        cached = getattr(user, CACHE_ATTR, None)
        if cached is None or cached.memberships is not user.active_memberships():
            cached = cls(user)
            setattr(user, CACHE_ATTR, cached)
        return cached

    @classmethod
    def for_request(cls, request: Any) -> "AccessPolicy":
        """The policy of the request's user (for the API, the token's user), once per request."""
        holder = getattr(request, "_request", request)  # the HttpRequest inside an API request
        user = getattr(request, "user", None)
        policy = cls.for_user(user)
        if getattr(holder, CACHE_ATTR, None) is not policy:
            setattr(holder, CACHE_ATTR, policy)
        return policy

    # Permissions held anywhere (navigation, lists, forms)

    def can_anywhere(self, perm: str) -> bool:
        """Does any membership grant this permission (whatever it reaches)?"""
        return any(_grants(m, perm) for m in self.memberships)

    # Children

    def reach(self, perm: str | None = Perm.VIEW_CHILD) -> Q:
        """The children the user may act on with perm (None: with any permission), as a filter."""
        if perm not in self._reach_by_perm:
            q = NOTHING
            for m, reach in self._reaches:
                if perm is None or _grants(m, perm):
                    q = reach if q is NOTHING else q | reach
            self._reach_by_perm[perm] = q
        return self._reach_by_perm[perm]

    def children(self, perm: str | None = Perm.VIEW_CHILD) -> QuerySet[Child]:
        return Child.objects.filter(self.reach(perm))

    def children_reached_by(self, m: "Membership", perm: str = Perm.VIEW_CHILD) -> QuerySet[Child]:
        """The children one of the user's memberships lets them act on (a home page section)."""
        reach = next((q for own, q in self._reaches if own.pk == m.pk), NOTHING)
        return Child.objects.filter(reach if _grants(m, perm) else NOTHING)

    def _flags(self, prefix: str = "") -> dict[str, ExpressionWrapper]:
        return {
            f"reach_{i}": ExpressionWrapper(_prefixed(q, prefix), output_field=BooleanField())
            for i, (_, q) in enumerate(self._reaches)
        }

    def _remember(self, child_id: int, flags: dict[str, Any]) -> frozenset[str]:
        """Record what the user may do to a child, from which memberships reach them."""
        perms: set[str] = set()
        for i, (m, _) in enumerate(self._reaches):
            if flags[f"reach_{i}"]:
                perms |= ROLE_PERMISSIONS.get(m.role, frozenset()) & CHILD_PERMISSIONS
        self._child_perms[child_id] = frozenset(perms)
        return self._child_perms[child_id]

    def _flag_values(self, obj: Any) -> dict[str, Any]:
        return {f"reach_{i}": getattr(obj, f"reach_{i}") for i in range(len(self._reaches))}

    def find_child(self, pk: int) -> Child | None:
        """The child, if within the user's reach, with what the user may do to them: one query."""
        if not self._reaches:
            return None
        child = first_unordered(Child.objects.filter(pk=pk).annotate(**self._flags()))
        if child is None or not self._remember(child.pk, self._flag_values(child)):
            return None
        return child

    def find_profile(self, pk: int) -> "Profile | None":
        """A profile, if its child is within the user's reach: one query, as for a child."""
        from vsend.profiles.models import Profile

        if not self._reaches:
            return None
        # The people named on it by name alone (Profile.finaliser_name): their whole user rows
        # (password hashes among them) are not needed to show a profile.
        profile = first_unordered(
            Profile.objects.select_related("child")
            .filter(pk=pk)
            .annotate(
                finalised_by_name=F("finalised_by__full_name"),
                finalised_by_name_of=F("finalised_by_id"),
                home_recorded_by_name=F("home_recorded_by__full_name"),
                home_recorded_by_name_of=F("home_recorded_by_id"),
                **self._flags("child__"),
            )
        )
        if profile is None or not self._remember(profile.child_id, self._flag_values(profile)):
            return None
        return profile

    def permissions_on(self, child: Child | int) -> frozenset[str]:
        child_id = child if isinstance(child, int) else child.pk
        if child_id not in self._child_perms:
            row = None
            if self._reaches:
                flags = self._flags()
                row = first_unordered(
                    Child.objects.filter(pk=child_id).annotate(**flags).values(*flags)
                )
            if row is None:
                self._child_perms[child_id] = frozenset()
            else:
                self._remember(child_id, row)
        return self._child_perms[child_id]

    def can(self, perm: str, child: Child | int) -> bool:
        """May the user act on this child with perm? Asked of the database once per child."""
        return perm in self.permissions_on(child)

    # Transition plans (ADR 34): the child's own circle, and both settings' SENDCos

    def transition_reach(self, perm: str = Perm.VIEW_TRANSITION) -> Q:
        """A filter on transition plans: those of children the user reaches with perm, and, for
        a SENDCo, every plan naming their setting as sending or receiving it (the receiving
        school plans the move before the child is on its roll)."""
        q = Q(child__in=self.children(perm)) if self.reach(perm) is not NOTHING else NOTHING
        setting_ids = sorted(
            m.setting_id
            for m in self.memberships
            if m.role == Role.SENDCO and m.setting_id is not None and _grants(m, perm)
        )
        if setting_ids:
            by_setting = Q(sending_setting_id__in=setting_ids) | Q(
                receiving_setting_id__in=setting_ids
            )
            q = by_setting if q is NOTHING else q | by_setting
        return q

    # Settings and authorities: who may open which dashboard, and how much it shows

    def may_view_setting(self, setting: "Setting") -> bool:
        """A membership that grants the setting dashboard and covers this setting."""
        return any(
            _grants(m, Perm.VIEW_SETTING_INSIGHT) and _covers_setting(m, setting)
            for m in self.memberships
        )

    def may_view_authority(self, authority: "LocalAuthority") -> bool:
        return any(
            _grants(m, Perm.VIEW_AUTHORITY) and _covers_authority(m, authority)
            for m in self.memberships
        )

    # Running organisations: an authority's settings, a setting's classes

    def may_manage_authority(self, authority: "LocalAuthority") -> bool:
        """Load and change the authority's settings, localities and trusts."""
        return any(
            _grants(m, Perm.MANAGE_SETTINGS) and _covers_authority(m, authority)
            for m in self.memberships
        )

    def may_create_authority(self) -> bool:
        """Add a local authority (platform administrators only)."""
        return any(_grants(m, Perm.CREATE_AUTHORITY) for m in self.memberships)

    def may_manage_classes(self, setting: "Setting") -> bool:
        """Set up the setting's year groups and classes and move its children between them."""
        return any(
            _grants(m, Perm.MANAGE_CLASSES) and _covers_setting(m, setting)
            for m in self.memberships
        )

    # Moving between settings: who may change a setting's roll (ADR 20)

    def may_change_roll(self, setting: "Setting") -> bool:
        """Record a child leaving this setting, or take a child onto its roll through the
        transfer path: a membership that changes children's records and covers the setting
        (its SENDCo, its authority's administrators). Never another setting's roll."""
        return any(
            _grants(m, Perm.CHANGE_CHILD) and _covers_setting(m, setting) for m in self.memberships
        )

    def may_transfer(self, child: Child | int) -> bool:
        """Move a child between the authority's settings (its administrators, the child's
        caseworker): the authority's own transfer path."""
        return self.can(Perm.TRANSFER_CHILD, child)

    def may_export_record(self, child: Child | int) -> bool:
        """Take a copy of the child's portable record (staff who plan with it, the family)."""
        return self.can(Perm.EXPORT_RECORD, child)

    def may_manage_provision(self, setting: "Setting") -> bool:
        """Run the setting's provision: catalogue, staff costs, groups, delivery, budget."""
        return any(
            _grants(m, Perm.MANAGE_PROVISION) and _covers_setting(m, setting)
            for m in self.memberships
        )

    def may_view_provision_at(self, setting: "Setting") -> bool:
        """See some of the setting's provision (a teacher: for their classes' children)."""
        return any(
            _grants(m, Perm.VIEW_PROVISION)
            and m.setting_id is not None
            and _covers_setting(m, setting)
            for m in self.memberships
        ) or self.may_manage_provision(setting)

    def setting_disclosure(self, setting: "Setting") -> SettingDisclosure:
        identifying = [
            m
            for m in self.memberships
            if _grants(m, Perm.VIEW_SETTING_INSIGHT)
            and _grants(m, IDENTIFYING_PERMISSION)
            and _covers_setting(m, setting)
        ]
        if any(m.role not in CLASS_ROLES for m in identifying):
            return SettingDisclosure(Disclosure.IDENTIFIABLE)
        if identifying:
            classes = tuple(c.pk for m in identifying for c in m.classes.all())
            return SettingDisclosure(Disclosure.IDENTIFIABLE, classes)
        return ANONYMOUS_SETTING

    def authority_disclosure(self, authority: "LocalAuthority") -> Disclosure:
        if any(
            _grants(m, Perm.VIEW_AUTHORITY)
            and _grants(m, IDENTIFYING_PERMISSION)
            and _covers_authority(m, authority)
            for m in self.memberships
        ):
            return Disclosure.IDENTIFIABLE
        return Disclosure.ANONYMOUS

    # Organisations and people: reached through an authority membership that grants the perm

    def authority_ids(self, perm: str) -> set[int] | None:
        """The authorities whose organisation and people the user may read with perm
        (None: every authority). Only authority-wide memberships reach them: a setting's staff
        and families reach no list of people, so for them every person is "not found"."""
        ids: set[int] = set()
        for m in self.memberships:
            if not _grants(m, perm):
                continue
            if m.role == Role.PLATFORM_ADMIN:
                return None
            if m.setting_id is None and m.authority_id is not None:
                ids.add(m.authority_id)
        return ids

    def in_authorities(self, perm: str, field: str = "authority_id") -> Q:
        """A filter for records of the authorities reached with perm (see authority_ids)."""
        ids = self.authority_ids(perm)
        if ids is None:
            return Q()
        return Q(**{f"{field}__in": sorted(ids)}) if ids else NOTHING

    def people_reach(self, perm: str) -> Q:
        """A filter on users: those holding a role in an authority reached with perm."""
        ids = self.authority_ids(perm)
        if ids is None:
            return Q()
        if not ids:
            return NOTHING
        return Q(memberships__authority_id__in=sorted(ids)) | Q(
            memberships__setting__authority_id__in=sorted(ids)
        )

    def outranks(self, person: Any) -> bool:
        """Nobody acts on an account above their own: only a platform administrator acts on
        another platform administrator."""
        holds = {m.role for m in person.active_memberships()}
        return Role.PLATFORM_ADMIN not in holds or any(
            m.role == Role.PLATFORM_ADMIN for m in self.memberships
        )

    # People: who may invite whom, where, and manage whose accounts

    def may_grant(
        self, role: str, *, authority: "LocalAuthority", setting: "Setting | None" = None
    ) -> bool:
        """May the user give someone this role at this organisation? Never a role above their
        own (roles.GRANTABLE_ROLES), never outside the organisation their membership covers.
        For a family role, `setting` is the setting through which the children are reached."""
        if setting is not None and setting.authority_id != authority.pk:
            return False
        if role in SETTING_ROLES and setting is None:
            return False
        for m in self.memberships:
            if role not in grantable_by(m.role):
                continue
            if m.role == Role.PLATFORM_ADMIN:
                return True
            if m.role == Role.LA_ADMIN and m.authority_id == authority.pk:
                return True
            if m.role == Role.SENDCO and setting is not None and m.setting_id == setting.pk:
                return True
        return False

    def grantable_roles(
        self, *, authority: "LocalAuthority", setting: "Setting | None" = None
    ) -> list[str]:
        """The roles the user may give at a setting (setting roles and families) or at the
        authority itself (authority roles)."""
        fits = (
            (lambda r: r in SETTING_ROLES or r in CHILD_LINKED_ROLES or r == Role.SENDCO)
            if setting is not None
            else (lambda r: r in AUTHORITY_ROLES and r not in CHILD_LINKED_ROLES)
        )
        return [
            r
            for r in Role
            if fits(r)
            and (r != Role.SENDCO or setting is not None)
            and self.may_grant(r, authority=authority, setting=setting)
        ]

    def may_manage_authority_people(self, authority: "LocalAuthority") -> bool:
        return bool(self.grantable_roles(authority=authority))

    def may_manage_setting_people(self, setting: "Setting") -> bool:
        return bool(self.grantable_roles(authority=setting.authority, setting=setting))

    def _administers(self, authority_id: int | None) -> bool:
        """A platform administrator, or an administrator of this authority."""
        return any(
            m.role == Role.PLATFORM_ADMIN
            or (m.role == Role.LA_ADMIN and m.authority_id == authority_id)
            for m in self.memberships
        )

    def may_manage_membership(self, target: "Membership") -> bool:
        """May the user change or end this membership? The authority's administrators manage
        every role in it (a platform administrator's is managed by nobody here); a SENDCo manages
        the roles they may give at their setting, and the families of children attending it."""
        if target.role == Role.PLATFORM_ADMIN or target.authority_id is None:
            return False
        if self._administers(target.authority_id):
            return True
        if target.role in CHILD_LINKED_ROLES:
            settings = _family_setting_ids(target)
            return any(m.role == Role.SENDCO and m.setting_id in settings for m in self.memberships)
        assert target.authority is not None
        return self.may_grant(target.role, authority=target.authority, setting=target.setting)

    def may_manage_invitation(self, invitation: Any) -> bool:
        """Re-sending or cancelling: whoever could have sent it, and the authority's
        administrators."""
        return self._administers(invitation.authority_id) or self.may_grant(
            invitation.role, authority=invitation.authority, setting=invitation.setting
        )

    def may_manage_user(self, target: Any) -> bool:
        """Suspending or restoring an account: only someone who may manage every role it holds,
        and never one's own."""
        if self.user is None or target.pk == self.user.pk:
            return False
        held = list(target.memberships.select_related("authority", "setting"))
        return bool(held) and all(self.may_manage_membership(m) for m in held)


def _family_setting_ids(m: "Membership") -> set[int]:
    """The settings a family membership's children currently attend."""
    from vsend.children.models import Enrolment, FamilyLink

    if m.role == Role.YOUNG_PERSON:
        child_ids = [m.child_id] if m.child_id else []
    else:
        child_ids = list(
            FamilyLink.objects.filter(user_id=m.user_id).values_list("child_id", flat=True)
        )
    return set(
        Enrolment.objects.current()
        .filter(child_id__in=child_ids)
        .values_list("setting_id", flat=True)
    )


# The same decisions as functions of a user, for callers that hold a user rather than a request.


def access_policy(user: Any) -> AccessPolicy:
    return AccessPolicy.for_user(user)


def disclosure_for_setting(user: Any, setting: "Setting") -> SettingDisclosure:
    return AccessPolicy.for_user(user).setting_disclosure(setting)


def disclosure_for_authority(user: Any, authority: "LocalAuthority") -> Disclosure:
    return AccessPolicy.for_user(user).authority_disclosure(authority)


def may_view_setting(user: Any, setting: "Setting") -> bool:
    return AccessPolicy.for_user(user).may_view_setting(setting)


def may_view_authority(user: Any, authority: "LocalAuthority") -> bool:
    return AccessPolicy.for_user(user).may_view_authority(authority)


__all__ = [
    "AccessPolicy",
    "Disclosure",
    "SettingDisclosure",
    "access_policy",
    "disclosure_for_authority",
    "disclosure_for_setting",
    "may_view_authority",
    "may_view_setting",
]
