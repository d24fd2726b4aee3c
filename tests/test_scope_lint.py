"""Children's data is read only through scoped selectors and services: an AST check over every
module and template (see tests/scope_lint.py), shown catching planted bare queries."""

import shutil
import textwrap

import pytest

from tests import scope_lint
from tests.scope_lint import SRC, check_source, check_template, check_tree, child_data_models


def test_the_source_tree_reads_children_only_through_selectors():
    findings = check_tree()
    assert findings == [], "read children through vsend.children.selectors or the access " + (
        "policy:\n" + "\n".join(map(str, findings))
    )


def test_every_model_holding_a_childs_data_is_linted():
    models = child_data_models()
    assert {
        "Child",
        "Enrolment",
        "FamilyLink",
        "CaseAssignment",
        "Profile",
        "DomainRating",
        "SupportOutcome",
        "SupportAction",
        "OutcomeReview",
    } <= models
    assert "Setting" not in models and "Membership" not in models


def test_request_facing_modules_are_all_checked():
    checked = set(scope_lint.checked_modules())
    for module in (
        "children/views.py",
        "profiles/views.py",
        "insights/views.py",
        "insights/dashboards.py",
        "insights/exports.py",
        "api/views.py",
        "api/insights.py",
        "api/profiles.py",
        "children/forms.py",
        "config/jinja2.py",
        "organisations/views.py",
        "audit/views.py",
    ):
        assert module in checked, module


def test_every_allowed_pattern_names_real_modules():
    modules = [p.relative_to(SRC).as_posix() for p in SRC.rglob("*.py")]
    for pattern in ("*/selectors.py", "*/services.py", "accounts/policy.py", "insights/queries.py"):
        assert any(scope_lint.fnmatch.fnmatchcase(m, pattern) for m in modules), pattern
    assert not any(
        scope_lint.is_allowed(m)
        for m in modules
        if ("views" in m or m.startswith("api/") or "dashboards" in m) and "/migrations/" not in m
    )


PLANTED = [
    ("qs = Child.objects.all()", "bare Child.objects"),
    ("from vsend.children.models import Child as C\nC.objects.get(pk=1)", "bare Child.objects"),
    ("from vsend.profiles import models\nmodels.Profile.objects.filter()", "bare Profile.objects"),
    ("DomainRating._default_manager.count()", "bare DomainRating._default_manager"),
    ("Enrolment._base_manager.all()", "bare Enrolment._base_manager"),
    ("Setting.objects.raw('SELECT * FROM children_child')", "raw SQL: .raw()"),
    ("Setting.objects.extra(where=['1=1'])", "raw SQL: .extra()"),
    ("from django.db import connection\nc = connection.cursor()", "raw SQL: .cursor()"),
    (
        "from django.db import connections\n"
        "with connections['default'].cursor() as c:\n    c.execute('SELECT 1')",
        "raw SQL: .execute()",
    ),
    (
        "from django.db.models.expressions import RawSQL\nx = RawSQL('SELECT 1', [])",
        "raw SQL: RawSQL",
    ),
    ("from django.apps import apps\napps.get_model('children', 'Child')", "fetched by name"),
    ("apps.get_model('profiles.OutcomeReview')", "fetched by name"),
]


@pytest.mark.parametrize("source,message", PLANTED)
def test_the_checker_reports_a_planted_bare_query(source, message):
    findings = check_source(source, "planted.py")
    assert findings, source
    assert any(message in f.message for f in findings), findings


@pytest.mark.parametrize(
    "source",
    [
        "qs = selectors.children_visible_to(user)",
        "policy = AccessPolicy.for_request(request)\nqs = policy.children()",
        "s = Setting.objects.filter(authority=a)",  # not a child's data
        "events = AuditEvent.objects.filter(child_id=1)",
        "child.profiles.all()",  # through a child already read through scope
    ],
)
def test_scoped_reads_pass(source):
    assert check_source(source, "fine.py") == []


def test_an_allowance_needs_a_reason():
    assert check_source("Child.objects.all()  # scope-lint: allow", "x.py")
    assert not check_source("Child.objects.all()  # scope-lint: allow counting for a health", "x")


def test_templates_are_checked():
    assert check_template("{{ Child.objects.all() | length }}")
    assert check_template("{% for p in child['objects'] %}{% endfor %}")
    assert check_template("{{ qs.raw('SELECT 1') }}")
    assert not check_template("{% for c in rows %}{{ c.full_name }}{% endfor %}")


def _copy_of_src(tmp_path):
    root = tmp_path / "vsend"
    shutil.copytree(SRC, root, ignore=shutil.ignore_patterns("static", "__pycache__"))
    return root


def test_a_bare_query_planted_in_a_views_package_is_found(tmp_path):
    root = _copy_of_src(tmp_path)
    assert check_tree(root) == []
    package = root / "children" / "views"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "bulk.py").write_text(
        textwrap.dedent(
            """
            from vsend.children.models import Child

            def everyone(request):
                return list(Child.objects.values_list("first_name", flat=True))
            """
        )
    )
    findings = check_tree(root)
    assert [(f.path, f.line) for f in findings] == [("children/views/bulk.py", 5)]


def test_raw_sql_planted_in_the_dashboards_is_found(tmp_path):
    root = _copy_of_src(tmp_path)
    dashboards = root / "insights" / "dashboards.py"
    dashboards.write_text(
        dashboards.read_text()
        + textwrap.dedent(
            """

            def names(setting_id):
                from django.db import connection

                with connection.cursor() as cursor:
                    cursor.execute("SELECT first_name FROM children_child")
                    return cursor.fetchall()
            """
        )
    )
    findings = check_tree(root)
    assert {f.path for f in findings} == {"insights/dashboards.py"}
    assert {f.message for f in findings} == {"raw SQL: .cursor()", "raw SQL: .execute()"}


def test_a_bare_query_in_an_api_module_or_a_template_is_found(tmp_path):
    root = _copy_of_src(tmp_path)
    (root / "api" / "export.py").write_text("def f():\n    return Profile.objects.all()\n")
    (root / "templates" / "planted.html").write_text("{{ Child.objects.count() }}")
    paths = {f.path for f in check_tree(root)}
    assert paths == {"api/export.py", "templates/planted.html"}
