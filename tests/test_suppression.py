"""The disclosure rule (ADR 9): one rule per count, percentages from published counts."""

from vsend.insights import published
from vsend.insights.queries import Block, CohortStats, DomainStats
from vsend.insights.suppression import HIDDEN, HIDDEN_MAX, ROUNDING, count, pct


def test_zero_is_shown_small_counts_share_one_label_and_the_rest_are_rounded():
    assert count(0) == 0
    assert {count(v) for v in range(1, HIDDEN_MAX + 1)} == {HIDDEN}
    assert count(8) == 10 and count(12) == 10 and count(13) == 15 and count(47) == 45
    assert all(count(v) % ROUNDING == 0 for v in range(HIDDEN_MAX + 1, 500))
    assert all(abs(count(v) - v) <= ROUNDING // 2 for v in range(HIDDEN_MAX + 1, 500))


def test_percentages_come_from_published_counts_and_never_from_hidden_ones():
    assert pct(count(12), count(38)) == round(100 * 10 / 40, 1)  # not 12/38
    assert pct(HIDDEN, 40) is None and pct(10, HIDDEN) is None and pct(0, 0) is None


def _block(profiled: int) -> Block:
    b = Block(cohort=CohortStats(children=60, sen_support=20, ehc_plan=9, profiled=profiled))
    b.domains = {"semh": DomainStats("semh", n=profiled, significant=3)}
    b.complexity = [profiled - 3, 3, 0, 0, 0, 0]
    return b


def test_a_small_group_gets_its_counts_but_not_its_detail():
    small = published.block_tables(_block(9), {"semh": "SEMH"} | _names())
    assert [t.key for t in small] == ["children"]
    assert published.summary_row("x", _block(9))[6:] == [None, None]
    large = published.block_tables(_block(30), _names())
    assert "need_levels" in [t.key for t in large]


def test_no_mean_reaches_an_anonymous_table():
    for t in published.block_tables(_block(30), _names()):
        assert not any("Mean" in c for c in t.columns)


def _names():
    from vsend.insights.dashboards import domain_names

    return domain_names()
