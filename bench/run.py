"""IOP Guide benchmarks: ``make bench`` (``python bench/run.py``) prints every table.

1. build time of synthetic sites (10 to 2000 pages), with and without citations, and the cost of
   Material's navigation options;
2. transfer per real page, first view and repeat view, raw and gzip;
3. size of the built site by file type;
4. time of ``make check``, and of the link, DOI and URL checks on the 1000-page site;
5. rebuild time of ``mkdocs serve`` after editing one page.

Times are medians of ``--runs`` runs; ratios compare builds run alternately in the same session.
Nothing here is a test: this machine may be shared and noisy, so no threshold fails a build.
A last table compares each figure with its target (issue 7). ``--output FILE`` also writes the
tables as Markdown (bench/RESULTS.md is written from it, with the reading of the figures).

Quick run: ``python bench/run.py --sizes 10,100,500 --runs 1``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import platform
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent))

import itertools

from synth import PROJECT_FILES, ROOT, make_site

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}
MKDOCS = [sys.executable, "-m", "mkdocs"]
IOPGUIDE = [sys.executable, "-m", "iopguide"]
KB = 1024
#: A check on the big synthetic site that takes longer than this is stopped (exit code -9).
CHECK_TIMEOUT = 900.0

TARGETS = {
    "scaling": 4.5,
    "first_view_kb": 80.0,
    "repeat_view_kb": 10.0,
    "build_s": 3.0,
    "check_s": 15.0,
    "test_s": 180.0,
    "serve_s": 1.0,
}


# ---------------------------------------------------------------- helpers


@dataclass
class Report:
    """Tables printed as they are measured and kept for ``--output``."""

    parts: list[str] = field(default_factory=list)
    figures: dict[str, float | None] = field(default_factory=dict)

    def add(self, title: str, headers: Sequence[str], rows: Sequence[Sequence[object]], note=""):  # type: ignore[no-untyped-def]
        text = f"### {title}\n\n" + markdown_table(headers, rows)
        if note:
            text += f"\n{note}\n"
        self.parts.append(text)
        print("\n" + text, flush=True)


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    cells = [[str(c) for c in headers]] + [[_fmt(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = [
        "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in cells
    ]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines) + "\n"


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.2f}"
    return "n/a" if value is None else str(value)


#: CPU seconds (user + system) of the last command run: steadier than wall time on a busy machine.
LAST_CPU: dict[str, float] = {"cpu": 0.0}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(cmd: Sequence[str], cwd: Path, timeout: float | None = None) -> tuple[float, int, str]:
    """Wall time, exit code and output of a command (its CPU time goes to LAST_CPU).

    A command stopped by ``timeout`` reports exit code -9 and the time it was given.
    """
    cpu = _children_cpu()
    start = time.perf_counter()
    try:
        proc = subprocess.run(
            list(cmd),
            cwd=cwd,
            env=ENV,
            capture_output=True,
            text=True,
            check=False,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired as stopped:
        LAST_CPU["cpu"] = _children_cpu() - cpu
        return time.perf_counter() - start, -9, f"stopped after {stopped.timeout} s"
    LAST_CPU["cpu"] = _children_cpu() - cpu
    return time.perf_counter() - start, proc.returncode, proc.stdout + proc.stderr


def build(project: Path, site: Path) -> tuple[float, int, str]:
    cmd = [*MKDOCS, "build", "--strict", "--config-file", str(project / "mkdocs.yml")]
    return run([*cmd, "--site-dir", str(site)], project)


@dataclass
class Timed:
    wall: float | None
    cpu: float | None


def median_builds(variants: dict[str, Path], runs: int) -> dict[str, Timed]:
    """Median build time (wall and CPU) of each project; variants alternate inside each run."""
    times: dict[str, list[float]] = {name: [] for name in variants}
    cpus: dict[str, list[float]] = {name: [] for name in variants}
    failed: set[str] = set()
    for _ in range(runs):
        for name, project in variants.items():
            if name in failed:
                continue
            seconds, code, output = build(project, project / "site")
            if code != 0:
                failed.add(name)
                print(f"  ! build failed for {name}:\n{output[-2000:]}", file=sys.stderr)
                continue
            times[name].append(seconds)
            cpus[name].append(LAST_CPU["cpu"])
    return {
        n: Timed(
            statistics.median(times[n]) if times[n] else None,
            statistics.median(cpus[n]) if cpus[n] else None,
        )
        for n in variants
    }


def ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a and b else None


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def copy_real_project(dest: Path) -> Path:
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for name in [*PROJECT_FILES, "docs", "bibliography.bib"]:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif src.exists():
            shutil.copy2(src, dest / name)
    return dest


# ---------------------------------------------------------------- 1. build time


def bench_build(report: Report, work: Path, sizes: list[int], runs: int) -> None:
    rows = []
    timed: dict[int, Timed] = {}
    for size in sizes:
        print(f"building {size} pages ...", flush=True)
        variants = {
            "with": make_site(work / f"cite-{size}", size, citations=True),
            "without": make_site(work / f"nocite-{size}", size, citations=False),
        }
        med = median_builds(variants, runs)
        timed[size] = med["with"]
        per_page = ratio(med["with"].wall, size)
        rows.append(
            [
                size,
                med["with"].wall,
                med["with"].cpu,
                med["without"].wall,
                med["without"].cpu,
                ratio(med["with"].wall, med["without"].wall),
                per_page * 1000 if per_page else None,
            ]
        )
        shutil.rmtree(work / f"nocite-{size}", ignore_errors=True)
        if size != 1000:
            shutil.rmtree(work / f"cite-{size}", ignore_errors=True)
    report.add(
        f"1. Build time, synthetic sites (median of {runs}; `mkdocs build --strict`)",
        [
            "pages",
            "with citations (s)",
            "CPU (s)",
            "without citations (s)",
            "CPU (s)",
            "with / without",
            "ms per page",
        ],
        rows,
        "Pages of about 600 words with 3 citations each, in sections of 20 pages, sections "
        "grouped in parts of 10 (bench/synth.py); the real theme, overrides, hooks and rules. "
        "'Without citations' drops mkdocs-bibtex, our citation hook and the [@key] markers. "
        "CPU: user + system seconds of the build process (steadier than wall time on a busy "
        "machine; the build is single-threaded).",
    )
    scaling = []
    ordered = [s for s in sizes if timed.get(s) and timed[s].wall]
    for small, big in itertools.pairwise(ordered):
        scaling.append(
            [
                f"t({big}) / t({small})",
                big / small,
                ratio(timed[big].wall, timed[small].wall),
                ratio(timed[big].cpu, timed[small].cpu),
            ]
        )
    if 500 in ordered and 2000 in ordered:
        report.figures["scaling"] = ratio(timed[2000].wall, timed[500].wall)
        scaling.append(
            [
                "t(2000) / t(500)",
                4.0,
                report.figures["scaling"],
                ratio(timed[2000].cpu, timed[500].cpu),
            ]
        )
    if scaling:
        report.add(
            "1b. Build scaling (with citations)",
            ["ratio", "pages ratio", "wall time ratio", "CPU time ratio"],
            scaling,
        )


def bench_nav_options(report: Report, work: Path, sizes: list[int], runs: int) -> None:
    """How Material's navigation rendering grows with pages, per option."""
    options = {
        "flat sections, no pruning (Material default)": (False, ["-navigation.prune"]),
        "flat sections + navigation.prune": (False, ["navigation.prune"]),
        "parts of 10 sections, no pruning": (True, ["-navigation.prune"]),
        "parts of 10 sections + navigation.prune": (True, ["navigation.prune"]),
    }
    rows = []
    for label, (nested, features) in options.items():
        row: list[object] = [label]
        med: dict[int, Timed] = {}
        for size in sizes:
            print(f"nav option '{label}', {size} pages ...", flush=True)
            project = make_site(work / f"nav-{size}", size, nested=nested, features=features)
            med[size] = median_builds({"x": project}, runs)["x"]
            html = project / "site" / "section-001" / "topic-0001" / "index.html"
            row += [
                med[size].wall,
                med[size].cpu,
                html.stat().st_size / KB if html.exists() else None,
            ]
            shutil.rmtree(project, ignore_errors=True)
        row.append(ratio(med[sizes[-1]].wall, med[sizes[0]].wall))
        row.append(ratio(med[sizes[-1]].cpu, med[sizes[0]].cpu))
        rows.append(row)
    headers = ["navigation"]
    for size in sizes:
        headers += [f"{size} pages (s)", "CPU (s)", "page KB"]
    headers += [f"wall t({sizes[-1]})/t({sizes[0]})", "CPU ratio"]
    report.add(
        f"1c. Navigation options (median of {runs})",
        headers,
        rows,
        "page KB: size of one built page's HTML (the navigation is most of it when not pruned).",
    )


# ---------------------------------------------------------------- 2 and 3. page weight


#: Pages are resolved as if served from this origin, so root-relative links (/assets/...) work.
ORIGIN = "http://site.invalid/"


def _resolve(base_url: str, ref: str) -> str | None:
    if not ref or ref.startswith(("data:", "#", "mailto:", "tel:", "javascript:")):
        return None
    url = urljoin(base_url, ref)
    return url if url.startswith(ORIGIN) else None


def _css_refs(css: str) -> list[str]:
    return [m.strip("'\"") for m in re.findall(r"url\(([^)]+)\)", css)]


def search_is_lazy(site: Path) -> bool:
    """True when the bundle waits for the reader to open search (iopguide.security.trim)."""
    bundles = list((site / "assets" / "javascripts").glob("bundle.*.min.js"))
    code = bundles[0].read_text(encoding="utf-8") if bundles else ""
    return 'location.protocol!=="file:"),' not in code and "new Worker(u)" in code


def page_resources(site: Path, page: Path) -> tuple[list[Path], list[Path]]:
    """Files a browser fetches to show ``page``, and the search files (worker and index)."""
    from bs4 import BeautifulSoup

    html = page.read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    base = ORIGIN + page.relative_to(site).as_posix()
    refs: list[str] = []
    for link in soup.find_all("link", href=True):
        rel = {r.lower() for r in link.get("rel", [])}
        if rel & {"stylesheet", "icon", "preload", "modulepreload", "manifest"}:
            refs.append(link["href"])
    refs += [s["src"] for s in soup.find_all("script", src=True)]
    refs += [i["src"] for i in soup.find_all("img", src=True)]
    # Theme icons drawn from the icon file (<svg><use href="...iop-icons.svg#id">).
    refs += [u.get("href") or u.get("xlink:href") or "" for u in soup.find_all("use")]
    search_refs: list[str] = []
    config = soup.find("script", id="__config")
    if config and config.string:
        data = json.loads(config.string)
        if data.get("search"):
            search_refs.append(data["search"])
            search_refs.append(data.get("base", ".").rstrip("/") + "/search/search_index.json")
    return _files(site, base, refs), _files(site, base, search_refs)


def _local(site: Path, url: str | None) -> Path | None:
    if url is None:
        return None
    path = site / urllib.request.url2pathname(urlparse(url).path.lstrip("/"))
    return path / "index.html" if path.is_dir() else path


def _files(site: Path, base: str, refs: list[str]) -> list[Path]:
    found: list[Path] = []
    for ref in refs:
        path = _local(site, _resolve(base, ref))
        if path is None or not path.is_file() or path in found:
            continue
        found.append(path)
        if path.suffix == ".css":
            css_url = ORIGIN + path.relative_to(site).as_posix()
            for css_ref in _css_refs(path.read_text(encoding="utf-8", errors="replace")):
                sub = _local(site, _resolve(css_url, css_ref))
                if sub and sub.is_file() and sub not in found:
                    found.append(sub)
    return found


def chromium_requests(site: Path, paths: list[str]) -> dict[str, list[str]] | None:
    """What headless Chromium actually requests for each page (no interaction), or None."""
    from iopguide import chromium, localserver

    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if not Path(chromium.CHROMIUM).exists():
        return None
    seen: dict[str, list[str]] = {}
    with localserver.serve(site) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=chromium.CHROMIUM, args=chromium.ARGS, headless=True
        )
        for path in paths:
            context = browser.new_context()
            page = context.new_page()
            urls: list[str] = []
            page.on("request", lambda r, urls=urls: urls.append(r.url))
            page.goto(base + path, wait_until="networkidle")
            seen[path] = sorted({u.removeprefix(base) for u in urls if u.startswith(base)})
            context.close()
        browser.close()
    return seen


def bench_transfer(report: Report, site: Path) -> None:
    rows = []
    firsts, repeats = [], []
    lazy = search_is_lazy(site)
    pages = [
        p
        for p in [*sorted(site.rglob("index.html")), site / "404.html"]
        if p.exists() and 'http-equiv="refresh"' not in p.read_text(encoding="utf-8")
    ]
    url_paths = [p.relative_to(site).as_posix().removesuffix("index.html") for p in pages]
    seen = chromium_requests(site, url_paths)
    mismatches = []
    for page, url_path in zip(pages, url_paths, strict=True):
        html = page.read_bytes()
        resources, search = page_resources(site, page)
        if not lazy:
            resources += search
        raw = len(html) + sum(p.stat().st_size for p in resources)
        zipped = gz(html) + sum(gz(p.read_bytes()) for p in resources)
        if seen is not None:
            parsed = sorted({url_path, *(p.relative_to(site).as_posix() for p in resources)})
            if parsed != seen[url_path]:
                mismatches.append(f"/{url_path}: parsed {parsed}, Chromium {seen[url_path]}")
        # Repeat view: assets come from the cache (fingerprinted ones are immutable; the others
        # revalidate with an empty 304), so only the HTML travels.
        rows.append(
            [
                "/" + url_path,
                1 + len(resources),
                raw / KB,
                zipped / KB,
                sum(gz(p.read_bytes()) for p in search) / KB if lazy else 0.0,
                len(html) / KB,
                gz(html) / KB,
            ]
        )
        firsts.append(zipped / KB)
        repeats.append(gz(html) / KB)
    report.figures["first_view_kb"] = max(firsts) if firsts else None
    report.figures["repeat_view_kb"] = max(repeats) if repeats else None
    check = (
        "not run (no Playwright/Chromium)"
        if seen is None
        else ("the same files on every page" if not mismatches else "; ".join(mismatches))
    )
    report.add(
        "2. Transfer per page (real site)",
        [
            "page",
            "requests",
            "first raw KB",
            "first gzip KB",
            "+ on opening search, gzip KB",
            "repeat raw KB",
            "repeat gzip KB",
        ],
        rows,
        "First view: the HTML and every file it loads before any interaction (CSS, JS, icons, "
        "images), parsed from the built page. "
        + (
            "The search worker and index load only when a reader opens search (next column). "
            if lazy
            else "Includes the search worker and index, which Material loads on every page. "
        )
        + "Repeat view: the HTML only (assets cached). gzip level 6 per file. "
        f"Cross-check, requests made by headless Chromium: {check}.",
    )


def bench_site_size(report: Report, site: Path) -> None:
    by_type: dict[str, list[int]] = {}
    for path in site.rglob("*"):
        if path.is_file():
            ext = "".join(path.suffixes[-1:]) or path.name
            if path.name.endswith(".min.js") or path.name.endswith(".min.css"):
                ext = path.suffix
            entry = by_type.setdefault(ext, [0, 0, 0])
            data = path.read_bytes()
            entry[0] += 1
            entry[1] += len(data)
            entry[2] += gz(data)
    rows = [
        [ext, n, raw / KB, z / KB]
        for ext, (n, raw, z) in sorted(by_type.items(), key=lambda i: -i[1][1])
    ]
    total = [sum(v[i] for v in by_type.values()) for i in range(3)]
    rows.append(["total", total[0], total[1] / KB, total[2] / KB])
    maps = len(list(site.rglob("*.map")))
    lunr = (
        len(list((site / "assets" / "javascripts" / "lunr").rglob("*.js")))
        if (site / "assets/javascripts/lunr").exists()
        else 0
    )
    report.add(
        "3. Size of site/ by file type (real site)",
        ["type", "files", "KB", "gzip KB"],
        rows,
        f"Source maps in site/: {maps}. lunr search-language files in site/: {lunr}.",
    )


# ---------------------------------------------------------------- 4. checks


def bench_checks(report: Report, work: Path, runs: int, big: int) -> None:
    rows = []
    times, cpus, code = [], [], 0
    for _ in range(runs):
        seconds, code, output = run(["make", "check"], ROOT)
        times.append(seconds)
        cpus.append(LAST_CPU["cpu"])
        if code != 0:
            print(f"  ! make check failed (exit {code}):\n{output[-1500:]}", file=sys.stderr)
    rows.append(
        [
            "make check (real site: build, dois, links, urls)",
            statistics.median(times),
            statistics.median(cpus),
            code,
        ]
    )
    report.figures["check_s"] = statistics.median(times) if code == 0 else None

    project = work / f"cite-{big}"
    if not (project / "site" / "index.html").exists():
        make_site(project, big)
        build(project, project / "site")
    run([*IOPGUIDE, "urls", "--update"], project)
    for label, cmd in [
        ("links (internal: linkchecker + own #anchor check)", [*IOPGUIDE, "links", "site"]),
        ("dois (offline)", [*IOPGUIDE, "dois"]),
        ("urls", [*IOPGUIDE, "urls"]),
    ]:
        results = []
        for _ in range(runs):
            results.append((*run(cmd, project, timeout=CHECK_TIMEOUT), LAST_CPU["cpu"]))
        rows.append(
            [
                f"{label}, {big}-page site",
                statistics.median(r[0] for r in results),
                statistics.median(r[3] for r in results),
                results[-1][1],
            ]
        )
        if results[-1][1] != 0:
            print(f"  ! {label} exit {results[-1][1]}:\n{results[-1][2][-1500:]}", file=sys.stderr)
    report.add(
        f"4. Checks (median of {runs})",
        ["command", "seconds", "CPU (s)", "exit code"],
        rows,
        f"Exit code -9: stopped after {CHECK_TIMEOUT:.0f} s (the time shown is a lower bound)."
        if any(row[-1] == -9 for row in rows)
        else "",
    )


def bench_test(report: Report) -> None:
    seconds, code, output = run(["make", "test"], ROOT)
    report.figures["test_s"] = seconds
    tail = output.strip().splitlines()[-1] if output.strip() else ""
    report.add(
        "4b. make test (one run)",
        ["command", "seconds", "CPU (s)", "exit code", "summary"],
        [["make test", seconds, LAST_CPU["cpu"], code, tail.strip("= ")]],
        "CPU: user + system of make and the processes it waited for (pytest workers, Java); "
        "Chromium's own processes are not counted.",
    )


# ---------------------------------------------------------------- 5. serve


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read().decode("utf-8", errors="replace")
    except OSError:
        return None


def _wait(predicate: Callable[[], bool], timeout: float, step: float = 0.01) -> float | None:
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if predicate():
            return time.perf_counter() - start
        time.sleep(step)
    return None


def serve_rebuild(
    project: Path, page_src: str, page_url: str, runs: int, extra: Sequence[str] = ()
) -> tuple[list[float], list[float]]:
    """Seconds from saving a page to the server serving the change; MkDocs' own build times."""
    port = _free_port()
    cmd = [*MKDOCS, "serve", "--dev-addr", f"127.0.0.1:{port}", "--livereload", *extra]
    log = project / "serve.log"
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, cwd=project, env=ENV, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/{page_url}"
    waits: list[float] = []
    try:
        if _wait(lambda: _get(url) is not None, 120, 0.1) is None:
            raise RuntimeError(f"mkdocs serve did not start:\n{log.read_text()[-1500:]}")
        source = project / "docs" / page_src
        original = source.read_text(encoding="utf-8")
        for n in range(runs):
            time.sleep(1.0)
            marker = f"benchmarker{n}x{time.time_ns()}"
            source.write_text(
                original + f"\nEdited for the benchmark: {marker}.\n", encoding="utf-8"
            )
            waited = _wait(lambda m=marker: m in (_get(url) or ""), 60)
            if waited is not None:
                waits.append(waited)
        source.write_text(original, encoding="utf-8")
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    built = [
        float(x) for x in re.findall(r"Documentation built in ([\d.]+) seconds", log.read_text())
    ]
    return waits, built[1:]


def bench_serve(report: Report, work: Path, runs: int, synthetic: int = 0) -> None:
    rows = []
    cases: list[tuple[str, Path, str, str, list[str]]] = []
    real = copy_real_project(work / "serve-real")
    cases.append(("real site (make serve)", real, "faq.md", "faq/", []))
    cases.append(
        ("real site, --dirty --no-strict", real, "faq.md", "faq/", ["--dirty", "--no-strict"])
    )
    if synthetic:
        big = make_site(work / f"serve-{synthetic}", synthetic)
        page = "section-001/topic-0001.md"
        cases.append((f"{synthetic}-page synthetic site", big, page, page[:-3] + "/", []))
    for label, project, src, url, extra in cases:
        print(f"serve: {label} ...", flush=True)
        waits, built = serve_rebuild(project, src, url, runs, extra)
        med = statistics.median(waits) if waits else None
        if label.endswith("(make serve)"):
            report.figures["serve_s"] = med
        rows.append(
            [
                label,
                len(list((project / "docs").rglob("*.md"))),
                med,
                statistics.median(built) if built else None,
                f"{len(waits)}/{runs}",
            ]
        )
    report.add(
        f"5. `mkdocs serve` rebuild after editing one page (median of {runs})",
        ["site", "pages", "save -> served (s)", "MkDocs build (s)", "edits seen"],
        rows,
        "Save -> served: from writing the page to the live server returning the changed page "
        "(MkDocs waits 0.1 s for more changes, then rebuilds; --dirty rebuilds changed pages "
        "only). MkDocs build: the time MkDocs logs for each rebuild.",
    )


# ---------------------------------------------------------------- real site


def bench_real_build(report: Report, work: Path, runs: int) -> Path:
    project = copy_real_project(work / "real")
    times, cpus = [], []
    for _ in range(runs):
        seconds, code, output = build(project, project / "site")
        if code != 0:
            raise SystemExit(f"the real site does not build:\n{output[-3000:]}")
        times.append(seconds)
        cpus.append(LAST_CPU["cpu"])
    report.figures["build_s"] = statistics.median(times)
    pages = len(list((project / "docs").rglob("*.md")))
    report.add(
        f"0. Real site build (median of {runs})",
        ["command", "pages", "seconds", "CPU (s)"],
        [["mkdocs build --strict", pages, statistics.median(times), statistics.median(cpus)]],
    )
    return project / "site"


def bench_targets(report: Report) -> None:
    f = report.figures
    checks = [
        ("build scaling t(2000)/t(500)", "scaling", "<= 4.5", TARGETS["scaling"]),
        ("first view, heaviest page (KB gzip)", "first_view_kb", "<= 80", TARGETS["first_view_kb"]),
        (
            "repeat view, heaviest page (KB gzip)",
            "repeat_view_kb",
            "<= 10",
            TARGETS["repeat_view_kb"],
        ),
        ("real site make build (s)", "build_s", "< 3", TARGETS["build_s"]),
        ("real site make check (s)", "check_s", "< 15", TARGETS["check_s"]),
        ("make test (s)", "test_s", "< 180", TARGETS["test_s"]),
        ("serve rebuild, save -> served (s)", "serve_s", "< 1", TARGETS["serve_s"]),
    ]
    rows = []
    for label, key, text, limit in checks:
        value = f.get(key)
        verdict = "not measured" if value is None else ("met" if value <= limit else "NOT met")
        rows.append([label, value, text, verdict])
    report.add("Targets (issue 7)", ["figure", "measured", "target", "verdict"], rows)


def machine() -> str:
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    from importlib.metadata import version

    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; {platform.system()} {platform.release()}; "
        f"load average {load}; "
        f"CPU: {model or platform.processor()}, {os.cpu_count()} CPUs ({usable} usable); "
        f"Python {platform.python_version()}; MkDocs {version('mkdocs')}, "
        f"Material {version('mkdocs-material')}, mkdocs-bibtex {version('mkdocs-bibtex')}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="10,100,500,1000,2000", help="synthetic site sizes")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (median)")
    parser.add_argument(
        "--only",
        default="real,build,nav,transfer,size,check,serve",
        help="comma-separated parts: real,build,nav,transfer,size,check,test,serve",
    )
    parser.add_argument("--nav-sizes", default="500,2000", help="sizes for the navigation table")
    parser.add_argument(
        "--nav-runs", type=int, default=1, help="runs per navigation option (slow at 2000 pages)"
    )
    parser.add_argument("--check-size", type=int, default=1000, help="synthetic site for checks")
    parser.add_argument(
        "--serve-size", type=int, default=0, help="also time serve on a synthetic site this big"
    )
    parser.add_argument("--output", type=Path, help="also write the tables to this Markdown file")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args(argv)
    parts = set(args.only.split(","))
    sizes = [int(s) for s in args.sizes.split(",") if s]
    report = Report()
    header = f"Machine: {machine()}"
    print(header, flush=True)
    work = Path(tempfile.mkdtemp(prefix="iopguide-bench-"))
    try:
        site = None
        if parts & {"real", "transfer", "size"}:
            site = bench_real_build(report, work, args.runs)
        if "build" in parts:
            bench_build(report, work, sizes, args.runs)
        if "nav" in parts:
            bench_nav_options(
                report, work, [int(s) for s in args.nav_sizes.split(",")], args.nav_runs
            )
        if "transfer" in parts and site:
            bench_transfer(report, site)
        if "size" in parts and site:
            bench_site_size(report, site)
        if "check" in parts:
            bench_checks(report, work, args.runs, args.check_size)
        if "test" in parts:
            bench_test(report)
        if "serve" in parts:
            bench_serve(report, work, max(args.runs, 5), args.serve_size)
        bench_targets(report)
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        report.parts.append(f"Load average at the end: {load}.\n")
        print(f"Load average at the end: {load}.")
    finally:
        if args.keep:
            print(f"work folder kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(
            f"{header}\n\nCommand: `python bench/run.py {' '.join(argv or sys.argv[1:])}`\n\n"
            + "\n".join(report.parts),
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
