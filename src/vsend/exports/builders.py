"""What each kind of export is made from. Each builder checks again that the person who asked
may still see it, as the download does."""

from collections.abc import Callable

from django.conf import settings
from django.http import QueryDict
from django.utils import translation

from vsend.audit.models import Channel
from vsend.audit.services import Actor
from vsend.exports.models import Export, Kind
from vsend.insights import dashboards
from vsend.insights.exports import governors_pdf
from vsend.insights.forms import InsightFilterForm
from vsend.organisations.models import SchoolClass
from vsend.profiles import selectors
from vsend.profiles.pdf import is_family_copy, is_own_copy, profile_pdf


def _actor(export: Export) -> Actor:
    return Actor(user=export.requested_by, channel=Channel.SYSTEM, path="job:exports.build")


def build_profile_pdf(export: Export) -> bytes:
    profile = selectors.get_profile_for(_actor(export), int(export.object_id))
    family = is_family_copy(export.requested_by, profile.child_id)
    own = family and is_own_copy(export.requested_by, profile.child_id)
    # A family's copy is in the language they chose (when the authority offers it); the job
    # runs outside any request, so the language is set here.
    chosen = export.requested_by.language
    offered = [code for code, _name in settings.LANGUAGES]
    language = chosen if family and len(offered) > 1 and chosen in offered else offered[0]
    with translation.override(language):
        return profile_pdf(selectors.profile_view(profile), family=family, own_record=own)


def build_governors_pdf(export: Export) -> bytes:
    """The same figures as the governors' summary page would give this user, filters and all."""
    user = export.requested_by
    setting = dashboards.setting_for(_actor(export), int(export.object_id))
    classes = SchoolClass.objects.filter(setting=setting)
    teacher = dashboards.teacher_classes(user, setting)
    if teacher is not None:
        classes = classes.filter(pk__in=teacher)
    query = QueryDict(mutable=True)
    for name, values in export.params.items():
        query.setlist(name, values)
    form = InsightFilterForm(query or None, classes=list(classes))
    dashboard = dashboards.setting_dashboard(
        user, setting, form.filters(), form.as_at(), anonymous=True
    )
    from vsend.provision.authority import governors_spend_table

    return governors_pdf(dashboard, [governors_spend_table(setting.pk, dashboard.term)])


def build_provision_map_pdf(export: Export) -> bytes:
    from vsend.provision.exports import build_child_map_pdf

    return build_child_map_pdf(export)


BUILDERS: dict[str, Callable[[Export], bytes]] = {
    Kind.PROFILE_PDF: build_profile_pdf,
    Kind.GOVERNORS_PDF: build_governors_pdf,
    Kind.PROVISION_MAP_PDF: build_provision_map_pdf,
}
