"""The scope lint: children's data is read only through the scoped selectors and services.

Walks the syntax tree of every Python module under src/vsend (views and view packages,
dashboards, the API, forms, template helpers: everything but the modules allowed below) and of
every Jinja template, and reports:

- a child-data model's manager (`Child.objects`, `Profile._default_manager`, through any import
  alias or module attribute), or `apps.get_model` naming one;
- raw SQL: `.raw(`, `.extra(`, `RawSQL`, `connection.cursor()`, `cursor.execute(`.

A line may be let through with a comment `# scope-lint: allow <reason>`; the reason is required.
"""

import ast
import fnmatch
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import jinja2
from jinja2 import nodes

import vsend

SRC = Path(vsend.__file__).parent

# Modules that may read child data directly, and why.
ALLOWED: dict[str, str] = {
    "*/selectors.py": "scoped reads: the user's reach is applied here",
    "*/selectors/*.py": "scoped reads",
    "*/services.py": "writes, each with its audit call",
    "*/services/*.py": "writes",
    "accounts/policy.py": "the access policy itself: reach and permissions",
    "accounts/invitations.py": "invitation services: writes, each with its audit call",
    "accounts/people.py": "services for roles and suspension: writes, each audited",
    "accounts/people_selectors.py": "people lists: children only through the viewer's reach",
    "profiles/family.py": "the family's answers: writes, each with its audit call; reads by a "
    "profile the caller has already opened, or by children from the viewer's reach",
    "profiles/worklist.py": "worklists: profiles of children from the viewer's reach only",
    "profiles/finalised.py": "a finalised profile's unchanging parts, read for a profile the "
    "caller has already opened through the scoped selectors (profiles.selectors.profile_view)",
    "insights/queries.py": "aggregate SQL, scoped by construction to one authority or setting",
    "insights/cohort_sql.py": "the cohort SQL queries.py is built from: one authority's scope",
    "insights/breakdowns.py": "aggregate SQL by year group, class and need (queries.py's cohort)",
    "insights/bench.py": "builds the benchmark authority's synthetic data",
    "aggregates/events.py": "which settings a changed child was ever enrolled at (ids only)",
    "aggregates/bench.py": "builds the benchmark authorities' synthetic data",
    "provision/aggregates.py": "aggregates over the cost ledger, one setting or authority at a time",
    "provision/maps.py": "a child's map (the child checked by the caller) and a setting's map",
    "provision/evaluation.py": "a setting's evaluation, for those who run its provision",
    "provision/bench.py": "builds the provision benchmark's synthetic data",
    "profiles/area_services.py": "one area of readiness or the plan: writes, each audited",
    "profiles/drafts.py": "what every draft write shares: its lock, audit row and ratings saved",
    "provision/ledger.py": "the cost ledger's writes for a group's places, each change audited",
    "provision/stored.py": "stored provision aggregates, one setting at a time (ADR 32)",
    "statutory/api.py": "a child's cases and plans, the child opened through the access policy",
    "statutory/thread.py": "need, provision and outcome for a plan whose child is already opened",
    "statutory/phase_transfer.py": "plan-amendment state for children from the viewer's reach",
    "transitions/phase.py": "children changing phase, from the viewer's reach only",
    "transitions/figures.py": "aggregate counts of plans, one authority at a time, suppressed",
    "places/planning.py": "place-planning aggregates, one authority at a time (ADR 31)",
    "places/bench.py": "builds the place-planning benchmark's synthetic data",
    "*/migrations/*.py": "schema and data migrations",
    "demo/*.py": "demo data, never in production",
    "demo/*/*.py": "demo data",
    "demo/*/*/*.py": "demo data",
    "*/management/commands/*.py": "operators' commands",
    "config/checks.py": "deployment checks read the database's own catalogue, no child data",
    "config/database_roles.py": "grants to the application's database role, no child data",
}
MANAGERS = {"objects", "_default_manager", "_base_manager"}
RAW_CALLS = {"raw": ".raw()", "extra": ".extra()", "cursor": ".cursor()"}
EXECUTE = {"execute", "executemany", "executescript"}
PRAGMA = re.compile(r"#\s*scope-lint:\s*allow\b(?P<reason>.*)$")

# Models that hold a child's data even though they lead to no child by a relation, and why.
CHILD_DATA_EXTRA: dict[str, str] = {}
# Models that lead to a child but whose rows are not a child's data, and why.
NOT_CHILD_DATA: dict[str, str] = {
    "accounts.Membership": "a role; a young person's membership only names their own record",
}


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def child_data_models() -> set[str]:
    """Every model whose rows are about a child: Child, and every model that reaches it by
    foreign keys (a profile, its ratings, a rating's review...). Found from the app registry,
    so a new model holding children's data is linted without anyone remembering to add it."""
    from django.apps import apps

    child = apps.get_model("children", "Child")

    def reaches(model: type, depth: int = 4) -> bool:
        if model is child:
            return True
        if depth == 0:
            return False
        return any(
            (f.many_to_one or f.one_to_one)
            and f.concrete
            and f.related_model is not None
            and f.related_model is not model
            and reaches(f.related_model, depth - 1)
            for f in model._meta.get_fields()
        )

    found = {
        m._meta.label
        for m in apps.get_models()
        if reaches(m) and m._meta.label not in NOT_CHILD_DATA
    }
    return {label.split(".")[1] for label in found | set(CHILD_DATA_EXTRA)}


def is_allowed(relative: str) -> bool:
    return any(fnmatch.fnmatchcase(relative, pattern) for pattern in ALLOWED)


class _Visitor(ast.NodeVisitor):
    def __init__(self, models: set[str]) -> None:
        self.models = models
        self.aliases: dict[str, str] = {}  # local name -> model name
        self.found: list[tuple[int, str]] = []

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        for alias in node.names:
            if alias.name in self.models:
                self.aliases[alias.asname or alias.name] = alias.name
            if alias.name == "RawSQL":
                self.found.append((node.lineno, "raw SQL: RawSQL"))
        self.generic_visit(node)

    def _model(self, node: ast.expr) -> str | None:
        if isinstance(node, ast.Name):
            return self.aliases.get(node.id) or (node.id if node.id in self.models else None)
        if isinstance(node, ast.Attribute) and node.attr in self.models:
            return node.attr  # models.Child, vsend.children.models.Child
        return None

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if node.attr in MANAGERS:
            model = self._model(node.value)
            if model:
                self.found.append(
                    (node.lineno, f"bare {model}.{node.attr}: read children through a selector")
                )
        if node.attr == "RawSQL":
            self.found.append((node.lineno, "raw SQL: RawSQL"))
        self.generic_visit(node)

    def visit_Name(self, node: ast.Name) -> None:
        if node.id == "RawSQL" and isinstance(node.ctx, ast.Load):
            self.found.append((node.lineno, "raw SQL: RawSQL"))

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Attribute):
            if func.attr in RAW_CALLS:
                self.found.append((node.lineno, f"raw SQL: {RAW_CALLS[func.attr]}"))
            elif func.attr in EXECUTE:
                self.found.append((node.lineno, f"raw SQL: .{func.attr}()"))
            elif func.attr == "get_model":
                named = {a.value for a in node.args if isinstance(a, ast.Constant)}
                names = {str(n).split(".")[-1] for n in named}
                if names & self.models:
                    self.found.append((node.lineno, "child-data model fetched by name"))
        self.generic_visit(node)


def check_source(source: str, path: str = "<source>", models: set[str] | None = None) -> list:
    """Findings in one module's source."""
    models = child_data_models() if models is None else models
    visitor = _Visitor(models)
    visitor.visit(ast.parse(source, filename=path))
    lines = source.splitlines()
    findings = []
    for line, message in sorted(set(visitor.found)):
        pragma = PRAGMA.search(lines[line - 1]) if 0 < line <= len(lines) else None
        if pragma and pragma.group("reason").strip():
            continue
        findings.append(Finding(path, line, message))
    return findings


def _template_attrs(tree: nodes.Node) -> Iterator[tuple[int, str]]:
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        attr = getattr(node, "attr", None)
        if attr is None and isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
            attr = node.arg.value
        if attr in MANAGERS or attr in RAW_CALLS or attr in EXECUTE:
            yield node.lineno, f"{attr} in a template: pass the page scoped data from its view"


def check_template(source: str, path: str = "<template>") -> list[Finding]:
    tree = jinja2.Environment(extensions=["jinja2.ext.do", "jinja2.ext.i18n"]).parse(source)  # noqa: S701
    return [Finding(path, line, message) for line, message in _template_attrs(tree)]


def check_tree(root: Path = SRC, models: set[str] | None = None) -> list[Finding]:
    """Findings in every module and template under root, except the allowed modules."""
    models = child_data_models() if models is None else models
    findings: list[Finding] = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        if not is_allowed(relative):
            findings += check_source(path.read_text(), relative, models)
    for path in sorted(root.rglob("*.html")):
        findings += check_template(path.read_text(), path.relative_to(root).as_posix())
    return findings


def checked_modules(root: Path = SRC) -> Iterable[str]:
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        if not is_allowed(relative):
            yield relative
