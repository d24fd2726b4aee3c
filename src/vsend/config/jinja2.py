"""The Jinja2 environment for vsend's pages, with GOV.UK Frontend's macros on the path."""

import json
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from jinja2 import (
    ChoiceLoader,
    Environment,
    PackageLoader,
    PrefixLoader,
    pass_context,
    pass_environment,
)
from jinja2.runtime import Context
from markupsafe import Markup, escape

from vsend.config.forms import date_parts, error_list
from vsend.submissions.services import once_input


def data_text(text: Any) -> Any:
    """A text kept as data (a framework's area name, a workflow step's family name, a symbol's
    words) in the reader's language, through gettext: `{{ d.domain.name | translate }}`. The
    catalogue holds these texts (config/messages.py DATA). Unlike `_()`, whose result Jinja
    marks safe, the result is escaped like any value. Empty stays empty (gettext("") would
    give the catalogue's header)."""
    return translation.gettext(str(text)) if text else text


def format_date(value: date | datetime | None) -> str:
    """3 March 2026 (dates are never shown as numbers alone), the month named in the reader's
    language (Django's own catalogues name the months)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value)
    return date_format(value, "j F Y")


def format_datetime(value: datetime | None) -> str:
    """3 March 2026 at 2:05pm (UK time)."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    hour = local.hour % 12 or 12
    return f"{format_date(local)} at {hour}:{local:%M}{'am' if local.hour < 12 else 'pm'}"


def url(name: str, *args: Any, **kwargs: Any) -> str:
    if not args and not kwargs:  # the navigation's links, on every page: reversed once
        return _plain_url(name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    return reverse(name, args=args or None, kwargs=kwargs or None)


@lru_cache(maxsize=1024)
def _plain_url(name: str, prefix: str, urlconf: Any) -> str:
    return reverse(name, urlconf=urlconf)


def choice_items(
    field: Any, mark: str = "selected", hints: list[str] | None = None
) -> list[dict[str, Any]]:
    """A bound choice field's options as GOV.UK select/radios/checkboxes items, current ones
    marked; hints, if given, go under each option in order."""
    value = field.value()
    values = value if isinstance(value, list | tuple) else [value]
    current = {"" if v is None else str(v) for v in values}
    items: list[dict[str, Any]] = []
    for choice_value, label in field.field.choices:
        raw = getattr(choice_value, "value", choice_value)
        if mark == "checked" and raw == "":
            continue
        item: dict[str, Any] = {"value": raw, "text": str(label), mark: str(raw) in current}
        if hints and len(items) < len(hints):
            item["hint"] = {"text": hints[len(items)]}
        items.append(item)
    return items


def csp_nonce(request: HttpRequest) -> dict[str, str]:
    """GOV.UK Frontend's template gives its one inline script this nonce."""
    nonce = getattr(request, "csp_nonce", None)
    return {"cspNonce": str(nonce) if nonce is not None else ""}


@pass_context
def can_nav(context: Context, perm: str) -> bool:
    """Whether the signed-in user holds a permission anywhere (for showing navigation)."""
    from vsend.accounts.policy import AccessPolicy

    return AccessPolicy.for_request(context["request"]).can_anywhere(perm)


NAV_MACROS = "govuk_frontend_jinja/components/service-navigation/macro.html"
_NAV_END = Markup("<!-- vsend: navigation end -->")
# The service navigation drawn by this process, by its links and which is current: a handful of
# shapes (one per set of roles and section), drawn once each rather than on every page.
_NAV: dict[str, Markup] = {}
NAV_MAX = 500


@pass_environment
def service_navigation(env: Environment, params: dict[str, Any], end: str = "") -> Markup:
    """GOV.UK's service navigation for these links, with `end` (the sign-out form, which
    carries the request's CSRF token) in its navigationEnd slot."""
    key = json.dumps(params, sort_keys=True, default=str)
    html = _NAV.get(key)
    if html is None:
        macro = env.get_template(NAV_MACROS).module.govukServiceNavigation  # type: ignore[attr-defined]
        html = macro({**params, "slots": {"navigationEnd": _NAV_END}})  # Markup: escaped by Jinja
        if len(_NAV) >= NAV_MAX:
            _NAV.clear()
        _NAV[key] = html
    return html.replace(_NAV_END, escape(end))


def environment(**options: Any) -> Environment:
    options["loader"] = ChoiceLoader(
        [
            options["loader"],
            PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
        ]
    )
    options.setdefault("trim_blocks", True)
    options.setdefault("lstrip_blocks", True)
    # Words on pages go through Django's translation machinery: {{ _("...") }} and
    # {% trans %}...{% endtrans %} (see `make messages` for the catalogue template).
    options["extensions"] = [*options.get("extensions", []), "jinja2.ext.i18n"]
    env = Environment(**options)  # noqa: S701 - Django's backend turns autoescape on
    env.install_gettext_translations(translation, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(
        {
            "url": url,
            "static": static,
            "get_messages": get_messages,
            "date_parts": date_parts,
            "error_list": error_list,
            "choice_items": choice_items,
            "can_nav": can_nav,
            "service_navigation": service_navigation,
            "service_name": settings.VSEND_SERVICE_NAME,
            "once_input": once_input,
        }
    )
    env.filters.update({"date": format_date, "datetime": format_datetime, "translate": data_text})
    return env
