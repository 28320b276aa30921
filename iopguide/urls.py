"""``python -m iopguide urls``: every URL in ``published-urls.txt`` still has a page or a
``redirect_maps`` line (mkdocs-redirects; one line also redirects ``es/faq/``) to a page."""

from __future__ import annotations

import contextlib
import difflib
import html
import re
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from mkdocs.structure.files import File
from mkdocs_redirects.plugin import HTML_TEMPLATE, get_html_path, get_relative_html_path

from iopguide import buildlog, i18n, project
from iopguide.content.rules import relative
from iopguide.i18n import Language, address_of, load_languages, original_of, page_language
from iopguide.report import MESSAGES, Problem, ProblemsFound, print_report

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

LIST_FILE = "published-urls.txt"


def base_path(config: Any) -> str:
    """Where the site's absolute paths start: the path of site_url, "/" or "/guide/"."""
    return urlsplit(config.site_url or "").path.rstrip("/") + "/"


def redirect_maps(config: Any) -> dict[str, str]:
    """The ``redirect_maps`` of mkdocs-redirects in ``config`` (none without the plugin)."""
    plugin: Any = config["plugins"].get("redirects")  # mkdocs-redirects (no types)
    return dict(plugin.config.get("redirect_maps") or {}) if plugin is not None else {}


def redirect_maps_line(text: str) -> tuple[int, str, str] | None:
    """Where ``redirect_maps:`` is in mkdocs.yml's ``text``: (line number, indent, what follows)."""
    found = re.search(r"^([ \t]*)redirect_maps:(.*)$", text, re.M)
    return (text.count("\n", 0, found.start()) + 1, found[1], found[2]) if found else None


def redirect_sources(maps: Mapping[str, str], codes: Iterable[str]) -> dict[str, str]:
    """Every page path a redirect holds -> its key in ``maps``: ``faq.md``, then ``es/faq.md``
    for each translation in ``codes``. The one place that says where translated redirects are."""
    return {f"{code}/{old}" if code else old: old for code in ("", *codes) for old in maps}


def redirect_page(url: str, language: Language) -> str:
    """mkdocs-redirects' page to ``url`` in ``language``: a screen reader picks its voice by
    ``lang``, so the words are the language's too (languages.yml: redirect; else English's)."""
    page = str(HTML_TEMPLATE).format(url=url)
    if not (words := language.words.get("redirect")):
        return page
    said = {key: html.escape(str(text)) for key, text in words.items()}
    link = f'<a href="{url}">{said["link"]}</a>'
    page = page.replace('lang="en"', f'lang="{language.code}"', 1)
    page = page.replace("<title>Redirecting...</title>", f"<title>{said['title']}</title>")
    english = f'You\'re being redirected to a <a href="{url}">new destination</a>.'
    return page.replace(english, said["text"].replace("{link}", link))  # as the theme fills words


def write_translated_redirects(
    config: Any,
    language: Language,
    maps: Mapping[str, str],
    translated: Mapping[str, str],
    pages: Collection[str] | None = None,
) -> None:
    """Write ``language``'s redirect pages (mkdocs-redirects resolves them too early), to
    the target's translation if ``translated`` has it, else the original; never over a page.
    As mkdocs-redirects does, none to a target missing from ``pages`` (the original pages)."""
    site_dir, directory_urls = str(config.site_dir), config.use_directory_urls
    for path, old in redirect_sources(maps, [language.code]).items():
        old_html = get_html_path(path, directory_urls)
        if path == old or (Path(site_dir) / old_html).exists():
            continue
        new = str(maps[old])
        target, hash_, fragment = new.partition("#")
        if not target.lower().startswith(("http://", "https://")):
            if pages is not None and target not in pages:
                continue  # the build names the redirect (redirect-target)
            url = translated.get(target) or File(target, "", "", directory_urls).url
            new = get_relative_html_path(path, url + hash_ + fragment, directory_urls)
        page = Path(site_dir, old_html)
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(redirect_page(new, language), encoding="utf-8")


@dataclass(frozen=True)
class SiteUrls:
    """What the site publishes now, read from ``mkdocs.yml`` and ``docs/``."""

    pages: dict[str, str]  # URL -> source file (``/faq/`` -> ``docs/faq.md``)
    redirects: dict[str, tuple[str, str]]  # old URL -> (its key in redirect_maps, target)
    docs_dir: str
    codes: tuple[str, ...] = ()  # the languages' codes, the original first (``en``, ``es``)
    dirs: bool = True  # use_directory_urls


def site_urls(config_file: Path, config: MkDocsConfig | None = None) -> SiteUrls:
    """Pages and redirects of the project whose ``mkdocs.yml`` is ``config_file`` (``config``,
    when the caller has loaded it)."""
    root = Path(config_file).resolve().parent
    config = config or project.load_config(config_file)
    docs = relative(Path(config["docs_dir"]).resolve(), root)
    codes = list(load_languages(root))
    dirs, files = config["use_directory_urls"], project.page_files(config)
    pages = {"/" + address_of(f.src_uri, codes, dirs): f"{docs}/{f.src_uri}" for f in files}
    maps = redirect_maps(config)
    redirects = {}
    for path, old in redirect_sources(maps, codes[1:]).items():
        url = "/" + address_of(path, (), dirs)
        if path == old or url not in pages:
            redirects[url] = (old, maps[old])
    return SiteUrls(pages, redirects, docs, tuple(codes), dirs)


def read_list(path: Path) -> list[tuple[int, str]]:
    """``(line number, URL)`` of every entry in the published list (none if there is no list)."""
    if not path.is_file():
        return []
    lines = enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
    return [(n, t.strip()) for n, t in lines if t.strip() and not t.strip().startswith("#")]


def _removed(
    config_file: Path, site: SiteUrls, listed: list[tuple[int, str]]
) -> Iterator[tuple[int, str, str, str, str]]:
    """(line, URL, old file, target, why) of each listed URL with no page and no redirect; target
    "" for a lost translation whose original is there (a redirect line would move the original).
    The target: git's rename; a new page of close name; the closest in words; close name; home."""
    from iopguide import fix

    missing = [(n, url) for n, url in listed if url not in site.pages and url not in site.redirects]
    if not missing:
        return
    root, docs = Path(config_file).resolve().parent, site.docs_dir
    sources = {src.split("/", 1)[1] if "/" in src else src: url for url, src in site.pages.items()}
    renamed = {old: new for old, new in fix.renames(root, docs) if new in sources}
    new_pages = set(site.pages) - {url for _, url in listed}
    new = {Path(original_of(s)).stem: original_of(s) for s, u in sources.items() if u in new_pages}

    def words(text: str) -> set[str]:  # 4 letters or more, any alphabet
        return set(re.findall(r"[^\W\d_]{4,}", text.lower()))

    def target(key: str) -> tuple[str, str]:
        if key in renamed:
            return renamed[key], "redirect-hint/renamed"
        if close := difflib.get_close_matches(Path(key).stem, list(new), n=1, cutoff=0.4):
            return new[close[0]], "redirect-hint/new-page"
        lang = page_language(key, site.codes)
        same = [src for src in sources if page_language(src, site.codes) == lang]
        if old := fix.old_text(root, f"{docs}/{key}"):
            old_words, scores = words(old), []
            for src in same:
                with contextlib.suppress(OSError):
                    theirs = words((root / docs / src).read_text(encoding="utf-8"))
                    scores.append((len(old_words & theirs) / max(1, len(old_words | theirs)), src))
            score, best = max(scores, default=(0.0, ""))
            if score > 0:
                return best, "redirect-hint/content"
        by_name = {Path(src).stem: src for src in same}
        if close := difflib.get_close_matches(Path(key).stem, list(by_name), n=1, cutoff=0.6):
            return by_name[close[0]], "redirect-hint/name"
        return "index.md", "redirect-hint/home"

    for number, url in missing:
        # Its redirect_maps key: /old/ -> old.md; /es/old/ too (one line redirects both).
        path = url.strip("/")
        first, _, rest = path.partition("/")
        path = rest if first in site.codes[1:] else path
        key = path.removesuffix(".html") + ".md" if path else "index.md"
        if path != url.strip("/") and f"{docs}/{key}" in site.pages.values():
            yield number, url, key, "", i18n.translation_name(key, first)
        else:
            page, why = target(key)
            yield number, url, key, page, MESSAGES.text(why, docs=docs, page=page)


def removed_pages(config_file: Path, list_file: Path) -> list[tuple[str, str, str, str]]:
    """Published URLs with no page and no redirect: (URL, old file, target, why), one per file."""
    found: dict[str, tuple[str, str, str, str]] = {}
    site, listed = site_urls(config_file), read_list(list_file)
    for _, url, key, target, why in _removed(config_file, site, listed):
        if target:  # a lost translation is the editor's to rename back (check says so)
            found.setdefault(key, (url, key, target, why))
    return list(found.values())


def check(config_file: Path, list_file: Path) -> list[Problem]:
    """Every problem with published URLs and redirects, for editors."""
    loaded = project.load_config(config_file)
    site, listed = site_urls(config_file, loaded), read_list(list_file)
    found = redirect_maps_line(Path(config_file).read_text(encoding="utf-8"))
    at = f" (line {found[0]})" if found else ""
    name, config = list_file.name, config_file.name
    words: dict[str, Any] = {"name": name, "config": config, "docs": site.docs_dir, "at": at}
    problems: list[Problem] = []

    def say(file: str, line: int | None, rule: str, /, **values: Any) -> None:
        problems.append(MESSAGES.say(file, line, rule, **words, **values))

    missing: set[str] = set()
    for old, (key, target) in site.redirects.items():
        if target.startswith(("http://", "https://")):
            continue
        if "/" + address_of(target.split("#", 1)[0], (), site.dirs) not in site.pages:
            missing.add(target)
        if old in site.pages:
            say(config, None, "url-redirect-shadows-page", key=key, page=site.pages[old])
    # A redirect to a missing page: the build's own line (mkdocs-redirects' warning, in editors'
    # words), which make check keeps once, and still says when the build stops before it.
    if missing:
        built = buildlog.Project.of(loaded)
        for target in sorted(missing):
            problems += buildlog.in_config(target, built, "redirect-target")
    for number, url, key, target, why in _removed(config_file, site, listed):
        if target:
            say(name, number, "url-removed", url=url, why=why, key=key, target=target)
        else:
            say(name, number, "url-removed/translation", url=url, key=key, translation=why)
    if not list_file.is_file():
        say(name, None, "url-list-missing")
        return problems
    for url in sorted(set(site.pages) - {url for _, url in listed}):
        say(site.pages[url], None, "url-not-listed", url=url)
    return problems


def update(config_file: Path, list_file: Path) -> list[str]:
    """Add the URLs of pages not yet listed; never remove a line. Returns the added URLs."""
    header = MESSAGES.text("urls/header")  # what the list is for, for editors
    text = list_file.read_text(encoding="utf-8") if list_file.is_file() else header
    known = {url for _, url in read_list(list_file)}
    added = sorted(set(site_urls(config_file).pages) - known)
    if added:
        text += "" if text.endswith("\n") else "\n"
        list_file.write_text(text + "".join(f"{url}\n" for url in added), encoding="utf-8")
    return added


def main(argv: list[str]) -> int:
    say = MESSAGES.text
    parser = MESSAGES.parser("urls", "urls/help")
    parser.add_argument("-f", "--config-file", default="mkdocs.yml", help=say("urls/help-config"))
    parser.add_argument("--list", help=say("urls/help-list", file=LIST_FILE))
    parser.add_argument("--update", action="store_true", help=say("urls/help-update"))
    args = parser.parse_args(argv)
    config_file = Path(args.config_file)
    list_file = Path(args.list) if args.list else config_file.parent / LIST_FILE
    try:
        if args.update:
            added = update(config_file, list_file)
            shown = " ".join(added) or MESSAGES.text("urls/none")
            print(MESSAGES.text("urls/added", count=len(added), file=list_file, urls=shown))
        problems = check(config_file, list_file)
    except ProblemsFound as exc:
        return print_report(exc.problems)
    if not problems:
        print(MESSAGES.text("urls/ok", count=len(read_list(list_file))))
    return print_report(problems)
