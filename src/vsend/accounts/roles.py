"""The roles a membership can grant, and what each role may do.

This is the one place permissions are declared. Scope (which children a membership reaches)
lives in vsend.children.selectors; a user may act on a child when one of their memberships
both reaches the child and grants the permission.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PLATFORM_ADMIN = "platform_admin", _("Platform administrator")
    LA_ADMIN = "la_admin", _("Local authority administrator")
    LA_OFFICER = "la_officer", _("Local authority officer")
    CASEWORKER = "caseworker", _("Caseworker")
    SENDCO = "sendco", _("SENDCo")
    TEACHER = "teacher", _("Teacher")
    PARENT = "parent", _("Parent or carer")
    YOUNG_PERSON = "young_person", _("Young person")
    GOVERNOR = "governor", _("Governor")


class Perm(models.TextChoices):
    VIEW_CHILD = "view_child", "See a child's record"
    CHANGE_CHILD = "change_child", "Add and change children's records"
    VIEW_CHILD_ACCESS = "view_child_access", "See who has opened a child's record"
    VIEW_AUTHORITY = "view_authority", "See the authority's settings and figures"
    VIEW_AUDIT_LOG = "view_audit_log", "See the authority's audit trail"
    VIEW_PROFILE = "view_profile", "See a child's Valuing SEND profiles"
    EDIT_PROFILE = "edit_profile", "Start, complete, finalise and review profiles"
    RECORD_HOME_CONFIDENCE = "record_home_confidence", "Give the family's home-confidence ratings"
    VIEW_SETTING_INSIGHT = "view_setting_insight", "See a setting's needs dashboard"
    MANAGE_PEOPLE = "manage_people", "Invite people, change their roles, suspend accounts"
    VIEW_ORGANISATION = "view_organisation", "See the authority's localities and settings"
    VIEW_PEOPLE = "view_people", "See the people in the authority and their roles"
    RESET_AUTHENTICATOR = "reset_authenticator", "Reset a person's authenticator app"
    MANAGE_SETTINGS = (
        "manage_settings",
        "Load and change the authority's settings, localities and trusts",
    )
    CREATE_AUTHORITY = "create_authority", "Add a local authority to the service"
    VIEW_PROVISION = "view_provision", "See a child's provision and its cost"
    MANAGE_PROVISION = (
        "manage_provision",
        "Run a setting's provision: catalogue, staff costs, groups, delivery and budget",
    )
    MANAGE_CLASSES = (
        "manage_classes",
        "Set up a setting's year groups and classes and move children between classes",
    )
    TRANSFER_CHILD = "transfer_child", "Transfer a child to another setting in the authority"
    EXPORT_RECORD = "export_record", "Download a child's portable Valuing SEND record"
    REQUEST_ASSESSMENT = (
        "request_assessment",
        "Ask the local authority for an EHC needs assessment (a setting, a family, a young person)",
    )
    VIEW_CASE = "view_case", "See a child's EHC needs assessment, plan and reviews, and their clock"
    MAKE_SEN2 = "make_sen2", "Make the authority's person-level SEN2 return"
    PREPARE_REVIEW = (
        "prepare_review",
        "Prepare an EHC plan's annual review: invitations, the meeting, the report, "
        "preparing for adulthood",
    )
    MANAGE_CASE = (
        "manage_case",
        "Record decisions, advice, plans and reviews on the statutory pathway",
    )
    GIVE_OWN_VIEWS = (
        "give_own_views",
        'Fill in a child\'s "All about me": the young person, or an adult sitting with the child',
    )
    VIEW_TRANSITION = "view_transition", "See a child's transition plan"
    MANAGE_TRANSITION = (
        "manage_transition",
        "Start transition plans, record their steps and reviews, and see who moves phase",
    )


R, P = Role, Perm

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    # A request is made by the setting, the family or the young person themselves.
    # The child's own views are given by the child, with someone who knows them (ADR 28).
    R.PLATFORM_ADMIN: frozenset(
        set(P) - {P.RECORD_HOME_CONFIDENCE, P.REQUEST_ASSESSMENT, P.GIVE_OWN_VIEWS}
    ),
    R.LA_ADMIN: frozenset(
        set(P)
        - {P.RECORD_HOME_CONFIDENCE, P.CREATE_AUTHORITY, P.REQUEST_ASSESSMENT, P.GIVE_OWN_VIEWS}
    ),
    # Aggregates only: never a child's name or record.
    R.LA_OFFICER: frozenset({P.VIEW_AUTHORITY, P.VIEW_SETTING_INSIGHT}),
    R.CASEWORKER: frozenset(
        {
            P.VIEW_CHILD,
            P.VIEW_CHILD_ACCESS,
            P.VIEW_PROFILE,
            P.TRANSFER_CHILD,
            P.EXPORT_RECORD,
            P.VIEW_PROVISION,
            P.VIEW_CASE,
            P.MANAGE_CASE,
            P.PREPARE_REVIEW,
            P.VIEW_TRANSITION,
            P.MANAGE_TRANSITION,
        }
    ),
    R.SENDCO: frozenset(
        {
            P.VIEW_CHILD,
            P.CHANGE_CHILD,
            P.VIEW_CHILD_ACCESS,
            P.VIEW_PROFILE,
            P.EDIT_PROFILE,
            P.VIEW_SETTING_INSIGHT,
            P.MANAGE_PEOPLE,
            P.MANAGE_CLASSES,
            P.EXPORT_RECORD,
            P.VIEW_PROVISION,
            P.MANAGE_PROVISION,
            P.REQUEST_ASSESSMENT,
            P.VIEW_CASE,
            P.GIVE_OWN_VIEWS,
            P.PREPARE_REVIEW,
            P.VIEW_TRANSITION,
            P.MANAGE_TRANSITION,
        }
    ),
    R.TEACHER: frozenset(
        {
            P.VIEW_CHILD,
            P.VIEW_PROFILE,
            P.VIEW_SETTING_INSIGHT,
            P.VIEW_PROVISION,
            P.GIVE_OWN_VIEWS,
        }
    ),
    # A family may take a copy of the child's record with them (data portability).
    R.PARENT: frozenset(
        {
            P.VIEW_CHILD,
            P.VIEW_PROFILE,
            P.RECORD_HOME_CONFIDENCE,
            P.EXPORT_RECORD,
            P.REQUEST_ASSESSMENT,
            P.VIEW_CASE,
            P.GIVE_OWN_VIEWS,
            P.VIEW_TRANSITION,
        }
    ),
    R.YOUNG_PERSON: frozenset(
        {
            P.VIEW_CHILD,
            P.VIEW_PROFILE,
            P.EXPORT_RECORD,
            P.REQUEST_ASSESSMENT,
            P.VIEW_CASE,
            P.GIVE_OWN_VIEWS,
            P.VIEW_TRANSITION,
        }
    ),
    # Anonymous summaries of their setting only.
    R.GOVERNOR: frozenset({P.VIEW_SETTING_INSIGHT}),
}

# What a membership may do with an individual child. A membership that grants none of these
# reaches no child: for its holder every child id is "not found", never "not allowed".
CHILD_PERMISSIONS = frozenset(
    {
        P.VIEW_CHILD,
        P.CHANGE_CHILD,
        P.VIEW_CHILD_ACCESS,
        P.VIEW_PROFILE,
        P.EDIT_PROFILE,
        P.RECORD_HOME_CONFIDENCE,
        P.TRANSFER_CHILD,
        P.EXPORT_RECORD,
        P.VIEW_PROVISION,
        P.REQUEST_ASSESSMENT,
        P.VIEW_CASE,
        P.MANAGE_CASE,
        P.GIVE_OWN_VIEWS,
        P.PREPARE_REVIEW,
        P.VIEW_TRANSITION,
        P.MANAGE_TRANSITION,
    }
)
# Figures are identifiable (small counts shown, links to the children behind them) only for a
# membership that opens the dashboard and may also see the children across it.
IDENTIFYING_PERMISSION = P.VIEW_CHILD
# Roles whose reach within their setting is their own classes.
CLASS_ROLES = frozenset({R.TEACHER})

# Roles that must use multi-factor sign-in when it is required (everyone but families).
STAFF_ROLES = frozenset(set(Role) - {R.PARENT, R.YOUNG_PERSON})
# Roles held at an authority (no setting) and roles held at a setting.
AUTHORITY_ROLES = frozenset({R.LA_ADMIN, R.LA_OFFICER, R.CASEWORKER, R.PARENT, R.YOUNG_PERSON})
SETTING_ROLES = frozenset({R.SENDCO, R.TEACHER, R.GOVERNOR})


def role_grants(role: str, perm: str) -> bool:
    return perm in ROLE_PERMISSIONS.get(role, frozenset())


# Who may grant which roles: never a role above one's own, and (see AccessPolicy.may_grant)
# only within the organisation the granting membership covers. A platform administrator starts
# an authority by inviting its first administrator; an authority's administrators invite its
# officers, caseworkers and SENDCos; a SENDCo invites their setting's teachers, governors and
# families. Platform administrators are made with `vsend createsuperuser`, never invited.
GRANTABLE_ROLES: dict[str, tuple[str, ...]] = {
    R.PLATFORM_ADMIN: (R.LA_ADMIN, R.LA_OFFICER, R.CASEWORKER, R.SENDCO),
    R.LA_ADMIN: (R.LA_ADMIN, R.LA_OFFICER, R.CASEWORKER, R.SENDCO, R.YOUNG_PERSON),
    R.SENDCO: (R.TEACHER, R.GOVERNOR, R.PARENT, R.YOUNG_PERSON),
}
# Roles whose invitation names children: a parent's children, a young person's own record.
CHILD_LINKED_ROLES = frozenset({R.PARENT, R.YOUNG_PERSON})
YOUNG_PERSON_MIN_AGE = 16


def grantable_by(role: str) -> tuple[str, ...]:
    return GRANTABLE_ROLES.get(role, ())
