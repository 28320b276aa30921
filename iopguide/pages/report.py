"""The "Report a problem with this page" link at the end of every page.

It is a plain link to the repository's new-issue form, with the page's title and address filled
in by the query string (GitHub fills an issue form's fields from parameters named after the
fields' ids). Nothing is loaded from GitHub until a reader clicks it.

The form's address is set in one place, ``extra.report_problem_url`` in mkdocs.yml; the form
itself is ``.github/ISSUE_TEMPLATE/report-a-problem.yml``.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from iopguide.report import Problem

#: The mkdocs.yml setting that holds the form's address.
SETTING = "report_problem_url"
#: The issue form's file name in .github/ISSUE_TEMPLATE/.
TEMPLATE = "report-a-problem.yml"
#: The id of the form's field that holds the page address.
PAGE_FIELD = "page"
#: The issue title, with the page's title filled in.
TITLE = "Problem on the page: {title}"


def check_form_url(value: object, config_file: str = "mkdocs.yml") -> Problem | None:
    """A problem when the setting is not a web address (an empty setting turns the link off)."""
    text = "" if value is None else str(value).strip()
    if not text:
        return None
    parts = urlsplit(text)
    if parts.scheme in ("https", "http") and parts.netloc:
        return None
    return Problem(
        config_file,
        None,
        None,
        "report-problem-url",
        f"extra.{SETTING} is {text!r}, which is not a web address",
        "write the address of your repository's new-issue form, like "
        "https://github.com/your-name/your-repo/issues/new, or leave the setting empty to show "
        "no link",
    )


def report_url(form_url: object, *, title: str, page_url: str) -> str | None:
    """The new-issue address with the page's title and address in the query string, or None when
    no form address is set (then the page shows no link). Check the address first with
    :func:`check_form_url`."""
    text = "" if form_url is None else str(form_url).strip()
    if not text:
        return None
    parts = urlsplit(text)
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if key not in ("template", "title", PAGE_FIELD)
    ]
    query += [("template", TEMPLATE), ("title", TITLE.format(title=title)), (PAGE_FIELD, page_url)]
    return urlunsplit(parts._replace(query=urlencode(query), fragment=""))
