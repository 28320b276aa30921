"""``python -m iopguide urls``: every URL we ever published still leads somewhere.

Search engines, clinics' handouts and other sites link to our pages. ``published-urls.txt``
records every page URL the site has published, one per line. This check compares it with the
pages MkDocs would build now and with the ``redirect_maps`` of the mkdocs-redirects plugin in
``mkdocs.yml``:

- a published URL with neither a page nor a redirect is an error, with the exact line to add;
- a redirect whose target page does not exist is an error;
- a page that is not yet in the list is an error too, fixed by ``make fix``
  (``python -m iopguide urls --update``)
  (which only ever adds lines): otherwise a later rename of that page could not be caught.
"""

from __future__ import annotations

import argparse
import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from iopguide import project
from iopguide.i18n import load_languages, original_of, page_language
from iopguide.report import Problem, ProblemsFound, print_report

LIST_FILE = "published-urls.txt"
GUIDE = "renaming-pages"

HEADER = """\
# Every page URL IOP Guide has published, one per line, from the site root.
# Never delete a line: people and search engines still use old links. When a page moves or is
# removed, add a redirect for it in mkdocs.yml (plugins > redirects > redirect_maps).
# `make check` fails when a URL here leads nowhere; `make fix` adds new pages to this list.
"""


@dataclass(frozen=True)
class SiteUrls:
    """What the site publishes now, read from ``mkdocs.yml`` and ``docs/``."""

    #: URL -> source file (``/faq/`` -> ``docs/faq.md``)
    pages: dict[str, str]
    #: old URL -> (old source in redirect_maps, target)
    redirects: dict[str, tuple[str, str]]
    use_directory_urls: bool
    docs_dir: str
    #: the languages of the translations (``es``): each redirect holds under their folders too
    translations: tuple[str, ...] = ()


def _url(src_uri: str, use_directory_urls: bool) -> str:
    from mkdocs.structure.files import File

    url = File(src_uri, "", "", use_directory_urls).url
    return "/" + ("" if url == "./" else url)


def _published_src(src_uri: str, codes: list[str]) -> str:
    """Where the i18n plugin publishes a page: ``get-help-now.es.md`` as ``es/get-help-now.md``
    (decisions/0014-spanish-edition.md)."""
    code = page_language(src_uri, codes)
    return f"{code}/{original_of(src_uri)}" if code else src_uri


def site_urls(config_file: Path) -> SiteUrls:
    """Pages and redirects of the project whose ``mkdocs.yml`` is ``config_file``."""
    root = Path(config_file).resolve().parent
    config = project.load_config(config_file)
    docs_dir = Path(config["docs_dir"]).resolve()
    docs = docs_dir.relative_to(root).as_posix() if docs_dir.is_relative_to(root) else str(docs_dir)
    codes = list(load_languages(root))
    pages = {
        _url(_published_src(f.src_uri, codes), config["use_directory_urls"]): f"{docs}/{f.src_uri}"
        for f in project.page_files(config)
    }
    redirects: dict[str, tuple[str, str]] = {}
    plugin = config["plugins"].get("redirects")
    maps = dict(plugin.config.get("redirect_maps") or {}) if plugin is not None else {}
    for old, new in maps.items():
        redirects[_url(old, config["use_directory_urls"])] = (old, new)
    # Each line redirects the translations' addresses too (iopguide/pages/redirects.py), unless
    # a translation is still there.
    for code in codes[1:]:
        for old, new in maps.items():
            url = _url(f"{code}/{old}", config["use_directory_urls"])
            if url not in pages:
                redirects[url] = (old, new)
    return SiteUrls(pages, redirects, config["use_directory_urls"], docs, tuple(codes[1:]))


def read_list(path: Path) -> list[tuple[int, str]]:
    """``(line number, URL)`` of every entry in the published list."""
    entries = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        text = raw.strip()
        if text and not text.startswith("#"):
            entries.append((number, text))
    return entries


def _source_guess(url: str, translations: tuple[str, ...] = ()) -> str:
    """The ``redirect_maps`` key for an old URL (``/old-page/`` -> ``old-page.md``; the same
    for a translation's ``/es/old-page/``: one line redirects both)."""
    path = url.strip("/")
    first, _, rest = path.partition("/")
    if first in translations:
        path = rest
    if not path:
        return "index.md"
    return path.removesuffix(".html") + ".md"


def _redirect_maps_line(config_file: Path) -> int | None:
    for number, line in enumerate(Path(config_file).read_text(encoding="utf-8").splitlines(), 1):
        if re.match(r"^\s*redirect_maps:", line):
            return number
    return None


def _words(text: str) -> set[str]:
    """The words of a page (4 letters or more, any alphabet), for "closest in content"."""
    return set(re.findall(r"[^\W\d_]{4,}", text.lower()))


def redirect_target(
    root: Path, key: str, site: SiteUrls, new_pages: list[str] | None = None
) -> tuple[str, str]:
    """Where the old page ``key`` (relative to docs/) should redirect, and why, in words.

    In order: the page git saw it renamed to; a new page with a close name; the page whose
    words are closest to the old page's (its text from git, where the branch left main; pages
    of the same language only); a page with a close name; the home page.
    """
    from iopguide import fix

    docs = site.docs_dir
    sources = {src.split("/", 1)[1] if "/" in src else src: url for url, src in site.pages.items()}
    renamed = {r.old: r.new for r in fix.renames(root, docs) if r.new in sources}
    if key in renamed:
        return renamed[key], f"it was renamed to {docs}/{renamed[key]}"
    new = {
        Path(original_of(src)).stem: original_of(src)
        for src, url in sources.items()
        if url in (new_pages or [])
    }
    close = difflib.get_close_matches(Path(key).stem, list(new), n=1, cutoff=0.4)
    if close:
        return new[close[0]], f"it looks like it became {docs}/{new[close[0]]}"
    codes = list(load_languages(root))
    same = [src for src in sources if page_language(src, codes) == page_language(key, codes)]
    old = fix.old_text(root, f"{docs}/{key}")
    if old:
        words = _words(old)
        scores = []
        for src in same:
            try:
                theirs = _words((root / docs / src).read_text(encoding="utf-8"))
            except OSError:
                continue
            scores.append((len(words & theirs) / max(1, len(words | theirs)), src))
        if scores:
            score, best = max(scores)
            if score > 0:
                return best, f"{docs}/{best} is the page closest in content to the removed page"
    by_name = {Path(src).stem: src for src in same}
    close = difflib.get_close_matches(Path(key).stem, list(by_name), n=1, cutoff=0.6)
    if close:
        return by_name[close[0]], f"{docs}/{by_name[close[0]]} has the closest name"
    home = "index.md"
    return home, "no page is close to it, so the home page"


def removed_pages(config_file: Path, list_file: Path) -> list[tuple[str, str, str, str]]:
    """Published URLs with no page and no redirect: (URL, old file, target, why)."""
    site = site_urls(config_file)
    root = Path(config_file).resolve().parent
    listed = read_list(list_file) if list_file.is_file() else []
    new_pages = sorted(set(site.pages) - {url for _, url in listed})
    found = []
    keys: set[str] = set()
    for _, url in listed:
        if url in site.pages or url in site.redirects:
            continue
        key = _source_guess(url, site.translations)
        if key not in keys:  # one line redirects a page and its translations
            keys.add(key)
            found.append((url, key, *redirect_target(root, key, site, new_pages)))
    return found


def check(config_file: Path, list_file: Path) -> list[Problem]:
    """Every problem with published URLs and redirects, for editors."""
    site = site_urls(config_file)
    listed = read_list(list_file) if list_file.is_file() else []
    list_name = list_file.name
    config_name = config_file.name
    problems: list[Problem] = []
    known = {url for _, url in listed}
    new_pages = sorted(set(site.pages) - known)

    for old, (key, target) in site.redirects.items():
        if target.startswith(("http://", "https://")):
            continue
        target_file = target.split("#", 1)[0]
        if _url(target_file, site.use_directory_urls) not in site.pages:
            problems.append(
                Problem(
                    config_name,
                    None,
                    None,
                    "url-redirect-target",
                    f"The redirect from {key} goes to {target}, which is not a page",
                    f"Change it to an existing page under {site.docs_dir}/, "
                    "e.g. 'index.md' (the path is relative to docs/)",
                    guide=GUIDE,
                )
            )
        if old in site.pages:
            problems.append(
                Problem(
                    config_name,
                    None,
                    None,
                    "url-redirect-shadows-page",
                    f"{key} is both a page ({site.pages[old]}) and a redirect",
                    f"Remove the redirect for {key} from redirect_maps, or remove the page",
                    guide=GUIDE,
                )
            )

    root = Path(config_file).resolve().parent
    maps_line = _redirect_maps_line(config_file)
    at = f" (line {maps_line})" if maps_line else ""
    for number, url in listed:
        if url in site.pages or url in site.redirects:
            continue
        key = _source_guess(url, site.translations)
        target, why = redirect_target(root, key, site, new_pages)
        problems.append(
            Problem(
                list_name,
                number,
                None,
                "url-removed",
                f"{url} was published, but no page is there now and there is no redirect ({why})",
                f"Add '{key}: {target}' under 'redirects: redirect_maps:' in {config_name}{at}, "
                f"indented two spaces more than 'redirect_maps:' (or run 'make fix', which "
                f"adds it; on a pull request the bot does). If another page fits better, "
                f"name that one; do not delete the line in {list_name}",
                guide=GUIDE,
            )
        )

    if not list_file.is_file():
        problems.append(
            Problem(
                list_name,
                None,
                None,
                "url-list-missing",
                f"The list of published URLs ({list_name}) does not exist",
                "Run 'make fix' (it writes the list) and commit the file",
                guide=GUIDE,
            )
        )
    else:
        for url in new_pages:
            problems.append(
                Problem(
                    site.pages[url],
                    None,
                    None,
                    "url-not-listed",
                    f"This page is published at {url} but {list_name} does not list it",
                    f"Run 'make fix' (it adds new pages to {list_name}) and commit {list_name}",
                    guide=GUIDE,
                )
            )
    return problems


def update(config_file: Path, list_file: Path) -> list[str]:
    """Add the URLs of pages not yet listed; never remove a line. Returns the added URLs."""
    site = site_urls(config_file)
    existing = list_file.read_text(encoding="utf-8") if list_file.is_file() else HEADER
    known = {url for _, url in read_list(list_file)} if list_file.is_file() else set()
    added = sorted(set(site.pages) - known)
    if added:
        text = existing if existing.endswith("\n") else existing + "\n"
        list_file.write_text(text + "".join(f"{url}\n" for url in added), encoding="utf-8")
    return added


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m iopguide urls",
        description="Check that every published URL still has a page or a redirect.",
    )
    parser.add_argument("-f", "--config-file", default="mkdocs.yml", help="default: mkdocs.yml")
    parser.add_argument("--list", default=None, help=f"default: {LIST_FILE} next to mkdocs.yml")
    parser.add_argument(
        "--update", action="store_true", help="add new pages to the list (never removes a line)"
    )
    args = parser.parse_args(argv)
    config_file = Path(args.config_file)
    list_file = Path(args.list) if args.list else config_file.parent / LIST_FILE
    try:
        if args.update:
            added = update(config_file, list_file)
            print(f"Added {len(added)} URL(s) to {list_file}: {' '.join(added) or 'none'}")
        problems = check(config_file, list_file)
    except ProblemsFound as exc:
        return print_report(exc.problems)
    if not problems:
        count = len(read_list(list_file))
        print(f"All {count} published URLs lead to a page or a redirect.")
    return print_report(problems)
