"""The one report every check prints (iopguide/report.py)."""

from __future__ import annotations

from iopguide.report import Problem, Severity, format_report, sorted_problems


def test_problems_at_one_place_keep_the_order_they_were_found_in() -> None:
    first = Problem("docs/faq.md", 3, 1, "term", "Avoid 'addict'.", "say 'person with ...'")
    second = Problem("docs/faq.md", 3, 1, "term", "Avoid 'abuser'.", "say 'person who ...'")
    earlier = Problem("docs/faq.md", 1, 5, "spelling", "'teh' is misspelled.", "write 'the'")
    for found in ([first, second, earlier, first], [second, first, earlier, second]):
        ordered = sorted_problems(found)
        assert ordered[0] == earlier
        assert ordered[1:] == [p for p in dict.fromkeys(found) if p != earlier]
    # The same report, line for line, every time it is printed.
    assert format_report([first, second, earlier]) == format_report([first, second, earlier])


def test_report_counts_errors_and_warnings() -> None:
    warning = Problem("docs/a.md", 2, None, "review-due", "Due.", "review it", Severity.WARNING)
    error = Problem("docs/a.md", 1, None, "term", "Avoid it.", "say this")
    text = format_report([warning, error])
    assert text.splitlines()[0].startswith("docs/a.md:1: [term]")
    assert text.splitlines()[-1] == "Found 1 error, 1 warning."
