"""Scoped reads of people: who holds roles in the authorities a user may see."""

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from vsend.accounts.models import Membership, User
from vsend.accounts.policy import AccessPolicy


def people_for(policy: AccessPolicy, perm: str) -> QuerySet[User]:
    """The people in the authorities the policy reaches with perm, each with only the roles
    they hold there (`visible_memberships`), and whether they have an authenticator app."""
    reach = policy.people_reach(perm)
    ids = User.objects.filter(reach).values("pk")
    memberships = Membership.objects.select_related("authority", "setting").order_by("role")
    authorities = policy.authority_ids(perm)
    if authorities is not None:
        memberships = memberships.filter(authority_id__in=sorted(authorities))
    return (
        User.objects.filter(pk__in=ids)
        .annotate(
            authenticator=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
        )
        .prefetch_related(
            Prefetch("memberships", queryset=memberships, to_attr="visible_memberships")
        )
        .order_by("full_name", "email", "pk")
    )
