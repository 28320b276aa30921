"""Settings of the online checks (``checks.yml``: ``dois:``, ``links:``), defaults here;
``DOI_API_URL`` and ``CROSSREF_API_URL`` in the environment point them at local servers."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, TypeVar

from iopguide.dois import MESSAGES, words
from iopguide.report import ProblemsFound, format_problem, load_yaml

CONFIG_FILE = "checks.yml"
#: The placeholder shipped in checks.yml. A publisher replaces it with a real address.
PLACEHOLDER_EMAIL = "editors@example.org"
#: HTTP statuses worth another try, from doi.org, Crossref or a linked site: busy for a moment.
RETRY_STATUSES = (429, 500, 502, 503, 504)
T = TypeVar("T")


class ConfigError(Exception):
    """checks.yml, or the command line, cannot be used; the message says where."""


@dataclass
class DoiConfig:
    contact_email: str = PLACEHOLDER_EMAIL
    timeout_seconds: float = 20.0
    attempts: int = 4
    backoff_seconds: float = 2.0
    max_wait_seconds: float = 60.0
    concurrency: int = 4
    #: Longest answer read from doi.org or Crossref (a Crossref record is a few kB to ~1 MB).
    max_response_bytes: int = 4_000_000
    doi_api_url: str = "https://doi.org/api/handles/"
    crossref_api_url: str = "https://api.crossref.org/works/"

    @property
    def user_agent(self) -> str:
        site = "https://github.com/iop-guide/iop-guide"
        return f"IOPGuideDOICheck/1.0 ({site}; mailto:{self.contact_email})"


@dataclass
class LinksConfig:
    #: Hosts whose 403/429/503 answers mean "bot protection", reported as unverified.
    unverified_hosts: list[str] = field(default_factory=list)
    unverified_statuses: list[int] = field(default_factory=lambda: [403, 429, 503])
    #: Extra rounds for external links that failed with a temporary error.
    retries: int = 2
    retry_wait_seconds: float = 10.0


def _load(path: Path, section: str, cls: type[T]) -> T:
    """The ``section`` of checks.yml as a ``cls``: each setting known and of its default's type."""
    said: dict[str, Any] = {"file": path.name, "section": section}
    own = MESSAGES.say(path.name, None, "checks-file/yaml", **said)
    try:
        data = load_yaml(path.read_text(encoding="utf-8") if path.exists() else "", own) or {}
    except ProblemsFound as exc:  # the one line, without a report's count
        raise ConfigError(format_problem(exc.problems[0])) from None
    if not isinstance(data, dict):
        raise ConfigError(words("checks-file/sections", **said))
    if not isinstance(given := data.get(section) or {}, dict):
        raise ConfigError(words("checks-file/section", **said))
    defaults: Any = cls()
    kinds = {f.name: type(getattr(defaults, f.name)) for f in fields(defaults)}
    said["known"] = ", ".join(kinds)
    values: dict[str, Any] = {}
    for name, value in given.items():
        number = type(value) in (int, float) and value >= 0  # bool is not a number here
        wrong = {
            None: "unknown",
            list: "" if isinstance(value, list) else "list",
            str: "" if isinstance(value, str) and value.strip() else "text",
        }.get(kind := kinds.get(name), "" if number else "number")
        if wrong:
            raise ConfigError(words(f"checks-file/{wrong}", name=name, **said))
        values[name] = value.strip() if kind is str else kinds[name](value) if number else value
    return cls(**values)


def load_doi_config(path: Path) -> DoiConfig:
    config = _load(path, "dois", DoiConfig)
    for name in ("doi_api_url", "crossref_api_url"):  # DOI_API_URL, CROSSREF_API_URL
        url = os.environ.get(name.upper()) or getattr(config, name)
        setattr(config, name, url if url.endswith("/") else url + "/")
    config.attempts, config.concurrency = max(1, config.attempts), max(1, config.concurrency)
    return config


def load_links_config(path: Path) -> LinksConfig:
    config = _load(path, "links", LinksConfig)
    config.unverified_hosts = [str(h).lower().strip() for h in config.unverified_hosts]
    config.unverified_statuses = [int(s) for s in config.unverified_statuses]
    return config
