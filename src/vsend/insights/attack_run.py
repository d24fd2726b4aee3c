"""Running the differencing attack (insights/attack.py) against one authority, as an LA officer
and as a governor: fetch through the API exactly what they may, and the true counts beside it."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from vsend.accounts.models import User
from vsend.frameworks.loader import DOMAIN_KEYS
from vsend.insights import queries
from vsend.insights.attack import Cell, Finding, Rules, determined_small_counts, tables_to_cells
from vsend.insights.dashboards import _dates, domain_names
from vsend.insights.queries import Filters, Scope
from vsend.insights.terms import parse_term, recent_terms
from vsend.organisations.models import LocalAuthority, Setting


@dataclass
class Result:
    viewer: str
    requests: int
    cells: int
    hidden: int
    tried: int
    findings: list[Finding]

    @property
    def hidden_share(self) -> float:
        return self.hidden / self.cells if self.cells else 0.0


def as_at_choices() -> list[dict[str, str]]:
    """Every as-at a viewer can ask for in the filters: today and the end of six recent terms."""
    today = timezone.localdate()
    return [{}] + [{"term": t.slug} for t in recent_terms(today, 7)[:-1]]


def _trend_dates(as_at: date) -> Any:
    def when(label: str) -> date | None:
        season, _, year = label.partition(" ")
        term = parse_term(f"{season.lower()}-{year}")
        if term is None:
            return None
        return as_at if term.starts <= as_at <= term.ends else term.ends

    return when


def truth(authority: LocalAuthority, dates: list[date]) -> dict[date, dict[str, int]]:
    out: dict[date, dict[str, int]] = {}
    for as_at in dates:
        blocks = queries.blocks_by_setting(Scope(authority.pk), Filters(), as_at, **_dates(as_at))
        point: dict[str, int] = {}
        for s, b in blocks.items():
            c = b.cohort
            for name, value in zip(
                ["on_roll", "K", "E", "profiled", "unprofiled", "overdue", "due"],
                [
                    c.children,
                    c.sen_support,
                    c.ehc_plan,
                    c.profiled,
                    c.sen_without_profile,
                    c.reviews_overdue,
                    c.reviews_due,
                ],
                strict=True,
            ):
                point[f"{s}:{name}"] = value
            for k, n in enumerate(b.complexity):
                point[f"{s}:c{k}"] = n
            for d in DOMAIN_KEYS:
                ds = b.domains.get(d, queries.DomainStats(d))
                point[f"{s}:{d}.below"] = ds.n - ds.significant
                point[f"{s}:{d}.sig"] = ds.significant
                point[f"{s}:{d}.gap_r"] = ds.readiness_gap
                point[f"{s}:{d}.gap_c"] = ds.confidence_gap
                for p, attr in (("ct", "change_term"), ("cy", "change_year")):
                    ch = getattr(b, attr).get(d, queries.ChangeStats(d))
                    point[f"{s}:{d}.{p}_f"] = ch.improved
                    point[f"{s}:{d}.{p}_s"] = ch.same
                    point[f"{s}:{d}.{p}_r"] = ch.increased
        out[as_at] = point
    return out


def _is_hidden(value: Any) -> bool:
    return isinstance(value, str)


def attack(user: User, authority: LocalAuthority, *, setting: Setting | None = None) -> Result:
    """As `user`: the whole authority (an LA officer) or one setting (a governor)."""
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    settings = list(Setting.objects.filter(authority=authority).order_by("name"))
    ids = [s.pk for s in settings]
    names = {s.name: s.pk for s in settings}
    localities: dict[str, list[int]] = {}
    for s in settings:
        localities.setdefault(s.locality.name, []).append(s.pk)
    domain_by_name = {v: k for k, v in domain_names().items()}
    publications: dict[date, list[Cell]] = {}
    rules: Rules | None = None
    requests = cells = hidden = 0

    def take(url: str, params: dict[str, str], bench: tuple[int, list[int]] | None = None) -> None:
        nonlocal rules, requests, cells, hidden
        response = client.get(url, params)
        requests += 1
        if response.status_code != 200:
            return
        payload = response.json()
        rules = rules or Rules.from_api(payload.get("disclosure"))
        as_at = date.fromisoformat(payload["as_at"])
        for table in payload["tables"]:
            for row in table["rows"]:
                for value in row[1:]:
                    if value is not None:
                        cells += 1
                        hidden += _is_hidden(value)
        scope_ids = ids if setting is None else [setting.pk]
        for when, found in tables_to_cells(
            payload, scope_ids, names, localities, _trend_dates(as_at), domain_by_name, bench
        ).items():
            publications.setdefault(when, []).extend(found)

    for choice in as_at_choices():
        if setting is None:
            url = reverse("api:authority-insight")
            take(url, {"authority": str(authority.pk), **choice})
            for s in settings:
                take(
                    url,
                    {"authority": str(authority.pk), "setting": str(s.pk), **choice},
                    (s.pk, localities[s.locality.name]),
                )
                take(reverse("api:setting-insight", args=[s.pk]), choice)
        else:
            take(reverse("api:setting-insight", args=[setting.pk]), choice)
    scope_ids = ids if setting is None else [setting.pk]
    true_counts = truth(authority, sorted(publications))
    findings, tried = determined_small_counts(
        publications, scope_ids, true_counts, rules or Rules.from_api(None)
    )
    viewer = "LA officer" if setting is None else "governor"
    return Result(viewer, requests, cells, hidden, tried, findings)


def hidden_share(authority: LocalAuthority) -> tuple[int, int, int]:
    """Across every term an LA officer may choose: the cells of the authority dashboard and of
    every setting's dashboard (computed in-process, so it runs at any scale), how many are
    hidden, and how many settings' detail tables are left out for too few children profiled."""
    from vsend.insights import published
    from vsend.insights.dashboards import _blocks, authority_dashboard
    from vsend.insights.suppression import is_hidden

    officer = User(email="bench@invalid")
    officer._memberships_cache = []
    cells = hidden = left_out = 0
    names = domain_names()
    for choice in as_at_choices():
        term = parse_term(choice["term"]) if choice else None
        as_at = published.as_at_term_end(term.ends if term else timezone.localdate())
        tables = list(authority_dashboard(officer, authority, Filters(), as_at).tables)
        for block in _blocks(Scope(authority.pk), Filters(), as_at).values():
            tables += published.block_tables(block, names)
            left_out += not published.detailed(block)
        for table in tables:
            for row in table.rows:
                for value in row[1:]:
                    if value is not None:
                        cells += 1
                        hidden += is_hidden(value)
    return cells, hidden, left_out
