"""Fast HTML for the dashboards' largest parts (an authority has hundreds of settings): the
benchmark setting's select and the body of a table. The same markup as the GOV.UK macros give,
built in one pass, escaped by markupsafe."""

from typing import Any

from markupsafe import Markup, escape

from vsend.insights.tables import Table


def select(field: Any) -> Markup:
    """A GOV.UK select for a form field with many choices."""
    value = str(field.value() or "")
    error = field.errors[0] if field.errors else ""
    group = "govuk-form-group" + (" govuk-form-group--error" if error else "")
    options = "".join(
        f'<option value="{escape(v)}"{" selected" if str(v) == value else ""}>{escape(label)}</option>'
        for v, label in field.field.choices
    )
    error_html = (
        f'<p id="{field.id_for_label}-error" class="govuk-error-message">'
        f'<span class="govuk-visually-hidden">Error:</span> {escape(error)}</p>'
        if error
        else ""
    )
    described = f' aria-describedby="{field.id_for_label}-error"' if error else ""
    return Markup(  # noqa: S704 - every value in it is escaped above
        f'<div class="{group}"><label class="govuk-label" for="{field.id_for_label}">'
        f"{escape(field.label)}</label>{error_html}"
        f'<select class="govuk-select govuk-!-width-full{" govuk-select--error" if error else ""}" '
        f'id="{field.id_for_label}" name="{field.html_name}"{described}>{options}</select></div>'
    )


def tbody(t: Table) -> Markup:
    """The rows of a table, numbers right-aligned, each linked cell to its children."""
    out = []
    for r, row in enumerate(t.rows):
        cells = [f'<th scope="row" class="govuk-table__header">{escape(row[0])}</th>']
        for i, v in enumerate(row[1:], start=1):
            href = t.links[r][i] if t.links else None
            if v is None:
                shown = "–"
            elif href and v:
                shown = f'<a class="govuk-link" href="{escape(href)}">{escape(v)}</a>'
            else:
                shown = str(escape(v))
            cells.append(f'<td class="govuk-table__cell govuk-table__cell--numeric">{shown}</td>')
        out.append(f'<tr class="govuk-table__row">{"".join(cells)}</tr>')
    return Markup("".join(out))  # noqa: S704 - every value in it is escaped above
