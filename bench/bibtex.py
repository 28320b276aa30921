"""Benchmark: reading a big bibliography is linear and costs at most 2x pybtex's own parse.

Writes a synthetic bibliography of ``--entries`` entries (and of a half and a quarter of that,
to show the growth) in a temporary folder and times, as CPU seconds of this process (steadier
than wall time on a shared machine), best of ``--repeat`` runs:

- ``pybtex``: pybtex's own parse of the file, as mkdocs-bibtex does it (``parse_file``);
- ``check``: the citation check (``load_bibliography``: pybtex's parse with line numbers, every
  error collected, crossref, house policy and the DOI rule);
- ``dois``: what ``python -m iopguide dois`` reads before it looks at dois.lock.json (the same
  reading, crossref fields inherited, and the DOI rule).

Entries vary the way real files do: articles with many authors, accents and ``--`` ranges,
@string journals, books, web pages with URLs, escaped underscores in DOIs, crossref pairs.
Every entry is synthetic; nothing here is a source. Target (issue 14): check <= 2x pybtex.

    .venv/bin/python bench/bibtex.py [--entries 6000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pybtex.database  # noqa: E402

from iopguide.citations.bib import check_dois, load_bibliography, read_bibliography  # noqa: E402


def synthetic_bib(count: int) -> str:
    parts = ['@string{jsb = "Journal of Synthetic Benchmarks"}\n@preamble{"synthetic"}\n']
    for n in range(count):
        kind = n % 5
        if kind == 0:
            parts.append(
                f"@article{{art{n}bench,\n"
                f'  author  = {{M{{\\"u}}ller, Anna{n} and Example, B. and Fake, C. and Mock, D.'
                f" and Sample, E. and Dummy, F. and Placeholder, G.}},\n"
                f"  title   = {{Synthetic entry {n}: {{PTSD}} in 50\\% of cases}},\n"
                f"  journal = jsb,\n  year = {2000 + n % 25},\n  volume = {{{n % 90}}},\n"
                f"  pages   = {{{n}--{n + 9}}},\n  doi = {{10.5555/bench.{n}\\_a}}\n}}\n"
            )
        elif kind == 1:
            parts.append(
                f'@book{{book{n}bench,\n  editor = "Editor, Eve and Second, S.",\n'
                f"  title = {{A Synthetic Handbook, volume {n}}},\n"
                f"  publisher = {{Synthetic Press}},\n  year = {{{1990 + n % 30}}},\n"
                f"  doi = {{10.5555/book.{n}}}\n}}\n"
            )
        elif kind == 2:
            parts.append(
                f"@incollection{{chap{n}bench,\n  author = {{Chapter, Carl}},\n"
                f"  title = {{Chapter {n} of a synthetic handbook}},\n"
                f"  booktitle = {{A Synthetic Handbook}},\n  crossref = {{book{n - 1}bench}},\n"
                f"  pages = {{1--20}}\n}}\n"
            )
        elif kind == 3:
            parts.append(
                f"@misc{{web{n}bench,\n  author = {{{{Synthetic Agency {n}}}}},\n"
                f"  title = {{A synthetic web page \\emph{{number}} {n}}},\n"
                f"  url = {{https://example.org/{{~}}page/{n}}},\n  year = {{2024}}\n}}\n"
            )
        else:
            parts.append(
                f"@techreport{{rep{n}bench,\n  author = {{Report, Rita and Writer, W.}},\n"
                f"  title = {{Synthetic report {n}}},\n  institution = {{Synthetic Institute}},\n"
                f"  year = {{2019}},\n  note = {{Report No. {n}}}\n}}\n"
            )
    return "\n".join(parts)


def best(function: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.process_time()
        function()
        times.append(time.process_time() - start)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=6000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print("| entries | pybtex parse | citation check | check / pybtex | DOI reading |")
    print("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for count in (args.entries // 4, args.entries // 2, args.entries):
            path = folder / "bibliography.bib"
            path.write_text(synthetic_bib(count), encoding="utf-8")
            bib, problems = load_bibliography(path, folder)
            assert bib is not None and problems == [], problems[:3]
            assert len(bib.keys) == count
            plain = best(lambda p=path: pybtex.database.parse_file(str(p)), args.repeat)
            check = best(lambda p=path: load_bibliography(p, folder), args.repeat)
            dois = best(lambda p=path: check_dois(read_bibliography(p, p.name)[0]), args.repeat)
            ratio = check / max(plain, 1e-9)
            print(f"| {count} | {plain:.2f} | {check:.2f} | {ratio:.2f} | {dois:.2f} |")
    print("CPU seconds of this process, best of --repeat runs.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
