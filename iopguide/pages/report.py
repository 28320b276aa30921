"""The "Report a problem with this page" link: a plain link to the repository's new-issue form
(``.github/ISSUE_TEMPLATE/report-a-problem.yml``), whose fields GitHub fills in from the query
string; nothing is loaded from GitHub until a reader clicks it."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from iopguide.report import Problem

SETTING = "report_problem_url"  # in mkdocs.yml's extra: the form's address
TEMPLATE = "report-a-problem.yml"
PAGE_FIELD = "page"  # the id of the form's field for the page address
TITLE = "Problem on the page: {title}"


def check_form_url(value: object, config_file: str = "mkdocs.yml") -> Problem | None:
    """A problem when the setting is not a web address (an empty setting turns the link off)."""
    text = "" if value is None else str(value).strip()
    parts = urlsplit(text)
    if not text or (parts.scheme in ("https", "http") and parts.netloc):
        return None
    message = f"extra.{SETTING} is {text!r}, which is not a web address"
    fix = (
        "write the address of your repository's new-issue form, like https://github.com/"
        "your-name/your-repo/issues/new, or leave the setting empty to show no link"
    )
    return Problem(config_file, None, None, "report-problem-url", message, fix)


def report_url(form_url: object, *, title: str, page_url: str) -> str | None:
    """The form's address with the page's title and address filled in; None (no link) when no
    address is set."""
    text = "" if form_url is None else str(form_url).strip()
    if not text:
        return None
    parts = urlsplit(text)
    ours = ("template", "title", PAGE_FIELD)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in ours]
    query += [("template", TEMPLATE), ("title", TITLE.format(title=title)), (PAGE_FIELD, page_url)]
    return urlunsplit(parts._replace(query=urlencode(query), fragment=""))
