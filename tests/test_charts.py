"""The at-a-glance chart and the trend chart read at every size, in greyscale, and with equal
values: checked on the SVG itself (where each marker, number and word is drawn)."""

import math
import re

import pytest

from vsend.frameworks import registry
from vsend.insights.charts import LINE_STYLES, lines
from vsend.insights.tables import Table
from vsend.profiles import chart
from vsend.profiles.chart import radar_svg, standard_series

PHONE = 290  # CSS px the chart gets on a 320 px wide screen (GOV.UK's 15 px gutters)
DOMAINS = ["Communication", "Learning", "SEMH", "Physical and sensory", "Independence"]
MARKER = re.compile(
    r'<(?:circle|rect|polygon) class="marker marker-(\w+)" data-axis="(\d)" data-value="(\d)" '
    r'(?:cx="([\d.]+)" cy="([\d.]+)"|x="([\d.]+)" y="([\d.]+)"|points="([^"]+)")'
)


def levels():
    return [(lv.need, lv.readiness, lv.confidence) for lv in registry.current("5_to_25").scale]


def markers(svg: str) -> list[tuple[str, int, int, float, float]]:
    """Each marker's series, axis, value and centre."""
    found = []
    for key, axis, value, cx, cy, rx, ry, pts in MARKER.findall(svg):
        if cx:
            x, y = float(cx), float(cy)
        elif rx:
            x, y = float(rx) + 5.5, float(ry) + 5.5
        else:
            xy = [tuple(map(float, p.split(","))) for p in pts.split()]
            x, y = sum(p[0] for p in xy) / len(xy), sum(p[1] for p in xy) / len(xy)
        found.append((key, int(axis), int(value), x, y))
    return found


def overlapping_svg(**kw) -> str:
    # Every series equal on Communication (3) and on SEMH (0); needs equal to last time on two.
    series = standard_series([3, 2, 0, 4, 2], [3, 2, 0, 1, 2], [3, 1, 0, 4, 2], [3, 2, 1, 4, 3])
    return radar_svg(DOMAINS, levels(), series, "Overlapping", **kw)


def test_equal_values_on_an_axis_are_drawn_side_by_side_not_on_top_of_each_other():
    found = markers(overlapping_svg())
    assert len(found) == 4 * 5
    for i, a in enumerate(found):
        for b in found[i + 1 :]:
            gap = math.dist(a[3:], b[3:])
            assert gap >= 11, f"{a[:3]} and {b[:3]} are {gap:.1f} apart: one hides the other"
    # Side by side across the axis: the four Communication markers share one height.
    top = [m for m in found if m[1] == 0]
    ys = [m[4] for m in top]
    assert max(ys) - min(ys) <= 2 and len({round(m[3]) for m in top}) == 4


@pytest.mark.parametrize("value", [0, 1, 2, 3, 4])
def test_the_level_numbers_are_not_under_any_marker(value):
    for svg in (
        overlapping_svg(),
        radar_svg(DOMAINS, levels(), standard_series(*[[value] * 5] * 4), "All equal"),
    ):
        numbers = re.findall(r'class="level-number" x="([\d.]+)" y="([\d.]+)"', svg)
        assert len(numbers) == 5
        for x, y in numbers:
            centre = (float(x), float(y) - 5)
            for m in markers(svg):
                gap = math.dist(centre, m[3:])
                assert gap > 12, f"level number at {centre} under {m[:3]} ({gap:.1f})"


def test_text_stays_readable_on_a_phone():
    for svg in (overlapping_svg(), overlapping_svg(key=False)):
        width = float(re.search(r'viewBox="0 0 ([\d.]+) ', svg).group(1))
        sizes = [float(s) for s in re.findall(r'font-size="([\d.]+)"', svg)]
        smallest = min(sizes) * PHONE / width
        assert smallest >= 10, f"{smallest:.1f} px text on a phone"


def test_a_long_area_name_shrinks_the_chart_not_the_text():
    long = ["Communication and interaction", "Cognition and learning", "SEMH", "P", "I"]
    series = standard_series([1] * 5, [1] * 5, [1] * 5)
    svg = radar_svg(long, levels(), series, "Long names", key=False)
    width = float(re.search(r'viewBox="0 0 ([\d.]+) ', svg).group(1))
    assert width <= chart.MAX_WIDTH + 1
    assert 'font-size="15"' in svg


def test_the_previous_needs_differ_from_home_confidence_in_colour_pattern_and_marker():
    by_key = {s.key: s for s in standard_series([1] * 5, [1] * 5, [1] * 5, [2] * 5)}
    previous, confidence = by_key["previous"], by_key["confidence"]
    assert previous.colour != confidence.colour
    assert previous.dash != confidence.dash and previous.marker != confidence.marker
    # Needs blue, setting green, home pink, as in the Valuing SEND tool.
    assert [by_key[k].colour for k in ("need", "readiness", "confidence")] == [
        "#1d70b8",
        "#00703c",
        "#d53880",
    ]
    styles = {(s.dash, s.marker) for s in by_key.values()}
    assert len(styles) == 4  # each series its own pattern and marker, readable in greyscale


def test_the_key_explains_all_three_scales():
    svg = overlapping_svg(key=True)
    text = " ".join(re.findall(r">([^<]+)</text>", svg))
    for need, readiness, confidence in levels():
        assert need in text and readiness in text and confidence in text
    for label in ("Needs", "Setting readiness", "Home confidence", "Needs at the last profile"):
        assert label in text


def test_the_trend_chart_does_not_reuse_the_profile_charts_styles():
    profile_styles = {(s.colour, s.dash) for s in standard_series([1], [1], [1], [1])}
    profile_colours = {colour for colour, _ in profile_styles}
    for colour, dash, _marker in LINE_STYLES:
        assert colour not in profile_colours and (colour, dash) not in profile_styles
    table = Table(
        "trend",
        "Mean need by term",
        ["Term", "Children", "Communication and interaction", "Cognition and learning"],
        [["Autumn 2025", 5, 1.5, 2.0], ["Spring 2026", 5, 1.75, 2.25]],
        chart="lines",
    )
    svg = lines(table)
    width = float(re.search(r'viewBox="0 0 ([\d.]+) ', svg).group(1))
    sizes = [float(s) for s in re.findall(r'font-size="([\d.]+)"', svg)]
    assert min(sizes) * PHONE / width >= 10
