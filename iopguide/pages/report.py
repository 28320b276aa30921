"""The "Report a problem with this page" link: a plain link to the repository's new-issue form
(``.github/ISSUE_TEMPLATE/report-a-problem.yml``), whose fields GitHub fills in from the query
string; nothing is loaded from GitHub until a reader clicks it."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from iopguide.report import Messages, Problem

MESSAGES = Messages(Path(__file__).with_name("messages.yml"))
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
    return MESSAGES.say(config_file, None, "report-problem-url", setting=SETTING, value=text)


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
