"""The Jinja2 environment for vsend's pages, with GOV.UK Frontend's macros on the path."""

import json
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.safestring import SafeData
from django.utils.translation import gettext_noop
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

# Words on pages, translated once per language and message: Django looks each one up through
# its chain of catalogues on every call, about a fifth of the time it takes to draw a page.
# Catalogues do not change while a process runs; a test that changes the languages or where the
# catalogues are found empties this.
_WORDS: dict[tuple[str | None, str], str] = {}
WORDS_MAX = 20_000


def words(message: str) -> str:
    """gettext, remembered by the active language and the message."""
    if isinstance(message, SafeData):  # gettext keeps it safe: never share that with plain
        return translation.gettext(message)
    key = (translation.get_language(), message)
    found = _WORDS.get(key)
    if found is None:
        found = translation.gettext(message)
        if len(_WORDS) >= WORDS_MAX:
            _WORDS.clear()
        _WORDS[key] = found
    return found


# The same for `_()` and `{% trans %}` without variables, as Jinja's own gettext would give
# them when escaping (the words marked safe, then formatted with no variables, so "%%" is "%").
_PAGE_WORDS: dict[tuple[str | None, str], Markup] = {}


@pass_context
def page_words(context: Context, message: str, /, **variables: Any) -> str:
    """Jinja's newstyle gettext (`_()` and `{% trans %}`), in one call rather than three, and
    remembered when there is nothing to put in the message. Positional-only, as Jinja's is, so
    a template variable may be called `message` or `context`."""
    if variables or not context.eval_ctx.autoescape or isinstance(message, SafeData):
        found: Any = words(message)
        if context.eval_ctx.autoescape:
            found = Markup(found)  # noqa: S704 - the catalogue's words, as Jinja's gettext marks them
        return found % variables
    key = (translation.get_language(), message)
    page = _PAGE_WORDS.get(key)
    if page is None:
        page = Markup(words(message)) % {}  # noqa: S704 - as above
        if len(_PAGE_WORDS) >= WORDS_MAX:
            _PAGE_WORDS.clear()
        _PAGE_WORDS[key] = page
    return page


@receiver(setting_changed)
def _forget_words(*, setting: str, **kwargs: Any) -> None:
    if setting == "ROOT_URLCONF":
        _url.cache_clear()
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS"}:
        _WORDS.clear()
        _PAGE_WORDS.clear()
        _day_words.cache_clear()


def data_text(text: Any) -> Any:
    """A text kept as data (a framework's area name, a workflow step's family name, a symbol's
    words) in the reader's language, through gettext: `{{ d.domain.name | translate }}`. The
    catalogue holds these texts (config/messages.py DATA). Unlike `_()`, whose result Jinja
    marks safe, the result is escaped like any value. Empty stays empty (gettext("") would
    give the catalogue's header)."""
    return words(str(text)) if text else text


def format_date(value: date | datetime | None) -> str:
    """3 March 2026 (dates are never shown as numbers alone), the month named in the reader's
    language (Django's own catalogues name the months)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value)
    return _day_words(value.year, value.month, value.day, translation.get_language())


@lru_cache(maxsize=4096)
def _day_words(year: int, month: int, day: int, language: str | None) -> str:
    """Drawn once per day and language (a page shows the same few dates many times)."""
    return date_format(date(year, month, day), "j F Y")


def format_datetime(value: datetime | None) -> str:
    """3 March 2026 at 2:05pm (UK time)."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    hour = local.hour % 12 or 12
    return f"{format_date(local)} at {hour}:{local:%M}{'am' if local.hour < 12 else 'pm'}"


def url(name: str, *args: Any, **kwargs: Any) -> str:
    """A page's address. Reversed once per name and arguments when they are plain numbers and
    words (the navigation's links, a record's own pages): Django's reverse takes about 20
    microseconds, and a page asks for a dozen."""
    if not kwargs and all(type(a) in (int, str) for a in args):
        return _url(name, args, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    return reverse(name, args=args or None, kwargs=kwargs or None)


@lru_cache(maxsize=8192)
def _url(name: str, args: tuple[int | str, ...], prefix: str, urlconf: Any) -> str:
    return reverse(name, args=args or None, urlconf=urlconf)


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


# The service navigation's links: (permissions the user must hold somewhere, URL name, words,
# the path prefix that marks it current: "" for the link's own address, "=" for that address
# exactly). Words marked for translation are translated when drawn.
NAV_LINKS: tuple[tuple[tuple[str, ...], str, str, str], ...] = (
    ((), "home", gettext_noop("Home"), "="),
    (("view_child",), "children:list", gettext_noop("Children"), ""),
    (("manage_case",), "statutory:worklist", "Deadlines", "/statutory/"),
    (("manage_transition",), "transitions:list", "Transitions", "/transitions/"),
    (("view_authority",), "insights:authority", "Dashboard", "/insight/"),
    (("manage_classes", "change_child"), "exchange:index", "Registers", ""),
    (("manage_people",), "people:index", "People", ""),
    (("view_audit_log",), "audit-log", "Audit trail", ""),
    ((), "accounts:account", gettext_noop("Your account"), ""),
)
TRANSLATED_NAV = {"Home", "Children", "Your account"}


@pass_environment
def navigation(env: Environment, request: HttpRequest, sign_out: str) -> Markup:
    """The signed-in user's service navigation: the links their roles open anywhere, the one
    for this page marked current, and the sign-out form in its slot."""
    from vsend.accounts.policy import AccessPolicy

    links = []
    user = getattr(request, "user", None) if isinstance(request, HttpRequest) else None
    if getattr(user, "is_authenticated", False):
        policy = AccessPolicy.for_request(request)
        path = request.path
        for perms, name, text, current in NAV_LINKS:
            if all(policy.can_anywhere(perm) for perm in perms):
                href = url(name)
                active = path == href if current == "=" else path.startswith(current or href)
                shown = words(text) if text in TRANSLATED_NAV else text
                links.append({"href": href, "text": shown, "active": active})
    params = {
        "serviceName": settings.VSEND_SERVICE_NAME,
        "serviceUrl": url("home"),
        "navigation": links,
        "navigationLabel": words(gettext_noop("Menu")),
    }
    return service_navigation(env, params, sign_out)


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
    env.install_gettext_callables(  # type: ignore[attr-defined]
        words,
        translation.ngettext,
        newstyle=True,
        pgettext=translation.pgettext,
        npgettext=translation.npgettext,
    )
    # `_` is Jinja's alias that looks `gettext` up on every call; both are the same function.
    env.globals.update({"gettext": page_words, "_": page_words})
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
            "navigation": navigation,
            "service_name": settings.VSEND_SERVICE_NAME,
            "once_input": once_input,
        }
    )
    env.filters.update({"date": format_date, "datetime": format_datetime, "translate": data_text})
    return env
