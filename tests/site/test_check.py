"""`make check` (python -m iopguide check): every check, every problem, one run.

These run the real command in a copy of the project, as an editor or the pull-request workflow
would: the workflow's own `run:` lines from .github/workflows/pr.yml, with GITHUB_ACTIONS=true.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from iopguide import ROOT
from tests.helpers import copy_project

pytestmark = pytest.mark.slow

#: The files `make check` needs besides the project's content (the Makefile and what it reads).
MAKE_FILES = ["Makefile", "requirements.txt", "pyproject.toml"]


def runnable_copy(dest: Path) -> Path:
    """A copy of the project where `make check` runs as on a clone, with this checkout's .venv
    (copied with their dates, so make sees the venv as up to date and installs nothing)."""
    project = copy_project(dest)
    for name in MAKE_FILES:
        (project / name).write_bytes((ROOT / name).read_bytes())
        os.utime(project / name, ns=(0, (ROOT / name).stat().st_mtime_ns))
    (project / ".venv").symlink_to(ROOT / ".venv")
    return project


def english_only(project: Path) -> None:
    """The copy without its Spanish edition (a publisher may have one language only).

    For the test of a removed page: `make fix` does not yet remove the page's translation
    (docs/<name>.es.md, whose translation_of names the removed page; the bot commits no
    deletions), so with the Spanish edition `make check` still fails after `make fix` on the
    translation (translation-source) until an editor deletes it too.
    """
    for page in (project / "docs").glob("*.es.md"):
        page.unlink()
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    text, count = re.subn(r"^        - locale: es\n(?:(?: {10}.*)?\n)*", "", text, flags=re.M)
    assert count == 1, "the Spanish language block of mkdocs.yml"
    config.write_text(text, encoding="utf-8")
    listed = project / "published-urls.txt"
    lines = listed.read_text(encoding="utf-8").splitlines(keepends=True)
    listed.write_text("".join(x for x in lines if not x.startswith("/es/")), encoding="utf-8")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def run(cmd: list[str] | str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    environment.pop("MAKEFLAGS", None)
    environment.update(env)
    return subprocess.run(
        cmd,
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        shell=isinstance(cmd, str),
        timeout=300,
    )


def line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if needle in line)


def several_mistakes(project: Path) -> None:
    """One page with mistakes of six kinds, and a new page missing from the menu."""
    faq = project / "docs" / "faq.md"
    clean = faq.read_text(encoding="utf-8")
    edit(faq, "reviewed_by:", "reviewd_by:")  # front matter
    edit(faq, "Every\nprogram is different.", "Every\nprogram is different. Some addicts go.")
    edit(faq, "(questions-to-ask.md)", "(questions-to-aks.md)")  # missing page
    edit(faq, "(signs-you-need-more-support.md)", "(signs-you-need-more-support.md#nowhere)")
    edit(faq, "(levels-of-care.md)", "(/levels-of-care/)")  # absolute link
    edit(faq, "[@mccarty2014substance]", "[@mcarty2014substance]")  # citation key
    new = project / "docs" / "new-page.md"
    new.write_text(
        clean.replace('title: "Frequently asked questions about IOPs"', "title: A new page")
        .replace("Short answers to common", "A new page with answers to common", 1)
        .replace("# Frequently asked questions about IOPs", "# A new page", 1),
        encoding="utf-8",
    )


def test_every_mistake_of_a_page_is_reported_in_one_run(tmp_path: Path) -> None:
    project = runnable_copy(tmp_path / "project")
    several_mistakes(project)
    faq = project / "docs" / "faq.md"

    result = run(["make", "check"], project)

    assert result.returncode == 2, result.stdout + result.stderr  # make's status for a failure
    out = result.stdout
    expected = [
        f"docs/faq.md:{line_of(faq, 'reviewd_by:')}: [front-matter-unknown-key]",
        f'docs/faq.md:{line_of(faq, "Some addicts go")}: [language] "addicts"',
        f"docs/faq.md:{line_of(faq, 'questions-to-aks.md')}:",
        "[link-missing-page] The link 'questions-to-aks.md' points to a page that does not exist."
        " Fix: the closest page is 'questions-to-ask.md': link to it",
        f"docs/faq.md:{line_of(faq, '#nowhere')}:",
        "[link-missing-anchor] The link 'signs-you-need-more-support.md#nowhere' points to a "
        "section '#nowhere' that docs/signs-you-need-more-support.md does not have.",
        f"docs/faq.md:{line_of(faq, '(/levels-of-care/)')}:",
        "[link-absolute] The link '/levels-of-care/' starts with '/'",
        "Fix: write 'levels-of-care.md' instead; otherwise link to the page's .md file",
        f"docs/faq.md:{line_of(faq, 'mcarty2014substance')}:",
        "[citation-unknown-key] unknown citation key 'mcarty2014substance'",
        "docs/new-page.md:1: [nav-missing] This page is not in the site menu, so readers cannot "
        'find it. Fix: add "- A new page: new-page.md" under nav: in mkdocs.yml',
        "docs/new-page.md: [url-not-listed]",
    ]
    for text in expected:
        assert text in out, f"{text!r} missing from:\n{out}"
    # Every line of the report is in the house format; no MkDocs wording, no traceback.
    report = [line for line in out.splitlines() if re.match(r"^(docs|mkdocs|[a-z-]+\.)", line)]
    assert all(re.match(r"^[^ ]+: (warning: )?\[[a-z0-9-]+\] .+", line) for line in report), out
    assert "Doc file" not in out and "Traceback" not in out + result.stderr
    # Eight errors (the real project may have warnings of its own, e.g. a pending DOI).
    assert re.search(r"^Found 8 errors(, \d+ warnings?)?\.$", out, re.M), out
    # A check run never touches site/.
    assert not (project / "site").exists()


def test_one_page_shows_only_its_problems(tmp_path: Path) -> None:
    project = runnable_copy(tmp_path / "project")
    several_mistakes(project)

    result = run(["make", "check", "PAGE=docs/new-page.md"], project)

    assert result.returncode == 2
    lines = [line for line in result.stdout.splitlines() if line.startswith("docs/")]
    assert lines and all(line.startswith("docs/new-page.md") for line in lines), result.stdout
    assert "problem(s) in other files not shown" in result.stdout


#: What GitHub puts in for the `${{ ... }}` expressions of the steps' `env:` on a pull request
#: into main.
EXPRESSIONS = {"FIX_BASE": "origin/main", "SAME_REPO": "true"}


def workflow_check_steps() -> list[tuple[str, dict[str, str]]]:
    """The `run:` scripts (with their `env:`) of the pull-request workflow's first job."""
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "pr.yml").read_text())
    jobs = workflow["jobs"]
    assert next(iter(jobs)) == "check", "make check must be the workflow's first job"
    assert "check" in str(jobs["test"].get("needs")), "the tests must wait for make check"
    steps = []
    for step in jobs["check"]["steps"]:
        # System packages (the Spanish dictionary) are on this machine already: .ci/run
        # installs the same ones.
        if "run" in step and not step["run"].startswith("apt-get "):
            env = {k: str(v) for k, v in (step.get("env") or {}).items()}
            for key, value in env.items():
                if "${{" in value:
                    env[key] = EXPRESSIONS[key]
            steps.append((step["run"], env))
    return steps


def as_pull_request(project: Path) -> None:
    """Make the copy a clone with a branch off main, as the workflow's checkout is."""
    who = ["-c", "user.name=t", "-c", "user.email=t@example.org"]
    for args in (
        ["init", "-q", "-b", "main"],
        [*who, "add", "-A"],
        [*who, "commit", "-qm", "x"],
        ["update-ref", "refs/remotes/origin/main", "HEAD"],
        ["checkout", "-qb", "pr"],
    ):
        assert run(["git", *args], project).returncode == 0, args


def test_the_pull_request_workflow_annotates_every_problem(tmp_path: Path) -> None:
    project = runnable_copy(tmp_path / "project")
    as_pull_request(project)
    several_mistakes(project)
    faq = project / "docs" / "faq.md"
    summary = tmp_path / "summary.md"
    summary.write_text("")
    home = tmp_path / "home"  # the steps' `git config --global` writes here, not to ~
    home.mkdir()
    github = {
        "GITHUB_ACTIONS": "true",
        "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_WORKSPACE": str(project),
        "GITHUB_OUTPUT": str(tmp_path / "output"),
        "HOME": str(home),
    }

    results = [run(script, project, **github, **env) for script, env in workflow_check_steps()]

    assert len(results) == 2
    assert results[0].returncode != 0  # make check failed the job
    assert results[1].returncode == 0, results[1].stdout + results[1].stderr
    out = "\n".join(r.stdout for r in results)
    line = line_of(faq, "questions-to-aks.md")
    column = faq.read_text().splitlines()[line - 1].index("questions-to-aks.md") + 1
    assert (
        f"::error file=docs/faq.md,line={line},col={column},title=[link-missing-page]::"
        "The link 'questions-to-aks.md' points to a page that does not exist. Fix: " in out
    ), out
    annotations = [x for x in out.splitlines() if x.startswith("::error")]
    assert len(annotations) == 8, out
    assert all(re.match(r"^::error file=docs/[a-z-]+\.md(,line=\d+)?", a) for a in annotations)
    # Warnings are annotations too; and the plain report follows for the log.
    warnings = [x for x in out.splitlines() if x.startswith("::warning")]
    assert len(warnings) == len(re.findall(r"^\S+: warning: \[", out, re.M))
    # A ',' or ':' inside a property is escaped; the message keeps them readable.
    assert "title=[nav-missing]::This page is not in the site menu, so readers" in out
    table = summary.read_text()
    assert "| error | `docs/faq.md:" in table
    assert "| link-missing-anchor |" in table and "| nav-missing |" in table
    assert table.count("\n| error |") == 8, table
    # `make fix` listed the new page's address, and the summary shows the change to commit.
    assert "### make fix: changes to commit" in table
    assert "The bot commits this change to your branch" in table
    assert "+/new-page/" in table
    # ... and hands it to the job that commits it (tests/site/test_fix_commit.py).
    assert (tmp_path / "output").read_text() == "changed=true\n"
    assert "+/new-page/" in (project / "make-fix" / "fix.patch").read_text()
    assert (
        "Fixed published-urls.txt: added /new-page/"
        in (project / "make-fix" / "output.txt").read_text()
    )


def test_a_yaml_mistake_in_mkdocs_yml_names_its_line_and_the_other_checks_still_run(
    tmp_path: Path,
) -> None:
    project = runnable_copy(tmp_path / "project")
    config = project / "mkdocs.yml"
    # A menu title with ': ' in it, not in quotes.
    edit(config, "- FAQ: faq.md", "- FAQ: questions and answers: faq.md")
    faq = project / "docs" / "faq.md"
    edit(faq, "reviewed_by:", "reviewd_by:")
    edit(faq, "[@mccarty2014substance]", "[@mcarty2014substance]")

    result = run(["make", "check"], project)

    assert result.returncode == 2
    line = line_of(config, "- FAQ: questions")
    assert re.search(
        rf"^mkdocs\.yml:{line}:\d+: \[yaml-syntax\] mkdocs\.yml cannot be read: YAML found a ':' "
        r"where YAML does not expect one\. Check that this line is indented like the lines "
        r"around it, and put text that contains ': ' in quotes\. Fix: ",
        result.stdout,
        re.M,
    ), result.stdout
    # The content and citation checks still ran, on the pages MkDocs would build (the rest of
    # mkdocs.yml is still read: its exclude_docs leaves out the page template).
    assert "docs/faq.md:6: [front-matter-unknown-key]" in result.stdout
    assert "[citation-unknown-key] unknown citation key 'mcarty2014substance'" in result.stdout
    assert "_templates" not in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_a_redirect_added_under_redirect_maps_builds(tmp_path: Path) -> None:
    # mkdocs.yml ships `redirect_maps:` with no value, so a line added under it is valid YAML
    # (with `redirect_maps: {}` the same line was a YAML error).
    project = runnable_copy(tmp_path / "project")
    config = project / "mkdocs.yml"
    edit(config, "      redirect_maps:\n", "      redirect_maps:\n        old-faq.md: faq.md\n")

    result = run(["make", "check"], project)

    assert result.returncode == 0, result.stdout + result.stderr
    assert not re.search(r"^\S+: \[", result.stdout, re.M), result.stdout  # no error line


def test_a_redirect_to_a_missing_page_is_said_when_the_build_stops_earlier(tmp_path: Path) -> None:
    """One pass: a bibliography pybtex cannot read stops the build before mkdocs-redirects runs;
    the URL check still gives the build's redirect-target line, with the same rule id."""
    project = runnable_copy(tmp_path / "project")
    config = project / "mkdocs.yml"
    mapping = "      redirect_maps:\n"
    edit(config, mapping, mapping + "        old-faq.md: questions.md\n")
    bib = project / "bibliography.bib"
    year = re.search(r"^  year +=.*\n", bib.read_text(encoding="utf-8"), re.M)
    assert year, "the bibliography has a year field"
    edit(bib, year[0], year[0] * 2)

    result = run(["make", "check"], project)

    rules = re.findall(r"^\S+: \[([^\]]+)\]", result.stdout, re.M)
    assert "bib-duplicate-field" in rules, result.stdout
    line = line_of(config, "old-faq.md: questions.md")
    assert (
        f"mkdocs.yml:{line}: [redirect-target] A redirect goes to 'questions.md'" in result.stdout
    )


def test_a_redirect_to_a_missing_page_is_one_line(tmp_path: Path) -> None:
    """One rule id per problem: the build names the redirect's line with a suggestion; the URL
    check and the links of the translated redirect page (es/old-faq/) no longer repeat it."""
    project = runnable_copy(tmp_path / "project")
    config = project / "mkdocs.yml"
    mapping = "      redirect_maps:\n"
    edit(config, mapping, mapping + "        old-faq.md: questions.md\n")

    result = run(["make", "check"], project)

    assert result.returncode == 2, result.stdout + result.stderr
    errors = re.findall(r"^\S+: \[.*$", result.stdout, re.M)
    line = line_of(config, "old-faq.md: questions.md")
    assert errors == [
        f"mkdocs.yml:{line}: [redirect-target] A redirect goes to 'questions.md', which is not a"
        " page. Fix: did you mean 'questions-to-ask.md'? redirect to an existing page's .md"
        " file under docs/."
    ], result.stdout
    # The summary counts what the report shows, not the repeats it left out.
    summary = next(x for x in result.stdout.splitlines() if x.startswith("Checks run:"))
    assert sum(int(n) for n in re.findall(r"(\d+) error\(s\)", summary)) == 1, summary
    assert "internal links: ok; published URLs: ok" in summary, summary


def test_an_overdue_review_is_a_warning_and_the_check_passes(tmp_path: Path) -> None:
    project = runnable_copy(tmp_path / "project")
    faq = project / "docs" / "faq.md"
    edit(faq, "next_review: 2028-11-28", "next_review: 2027-01-01")
    summary = tmp_path / "summary.md"

    result = run(
        ["make", "check"],
        project,
        IOPGUIDE_TODAY="2027-01-02",
        GITHUB_ACTIONS="true",
        GITHUB_STEP_SUMMARY=str(summary),
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert (
        "docs/faq.md:5: warning: [review-overdue] This page was due for review on 2027-01-01"
        in result.stdout
    )
    assert "::warning file=docs/faq.md,line=5,title=[review-overdue]::" in result.stdout
    assert "| warning | `docs/faq.md:5` | review-overdue |" in summary.read_text()


def test_an_event_handler_is_reported_once_on_its_line(tmp_path: Path) -> None:
    """One rule id per problem (issue 14): the check of the rendered page names an onclick=,
    with its file and line; the content check of the Markdown no longer repeats it."""
    project = runnable_copy(tmp_path / "project")
    faq = project / "docs" / "faq.md"
    faq.write_text(faq.read_text(encoding="utf-8") + '\n<div onclick="x()">hi</div>\n')
    line = line_of(faq, "onclick")

    result = run(["make", "check", "PAGE=docs/faq.md"], project)

    assert result.returncode == 2, result.stdout + result.stderr
    found = [x for x in result.stdout.splitlines() if x.startswith(f"docs/faq.md:{line}:")]
    assert len(found) == 1, result.stdout
    assert found[0].startswith(f"docs/faq.md:{line}: [csp-inline-handler] The attribute onclick=")
    assert " Fix: remove onclick=... from the tag" in found[0]


#: Raw HTML mistakes (the content check's html-tag, html-url and external-media until issue 14):
#: the fixture pages' own lines, then disguises -> the rule of the rendered-page check.
RAW_HTML = {
    "html-script": ("", "csp-inline-script"),
    "html-iframe": ("", "unsafe-html"),
    "javascript-url": ("", "unsafe-url"),
    "external-image": ("", "third-party-request"),
    # Not the fixture's own line: the same address twice in a page is named once, on its first line.
    "external-img-tag": (
        '<img src="https://images2.example.com/a.png" alt="A group meeting">',
        "third-party-request",
    ),
    "entity": ('<a href="  java&#115;cript:alert(1)">our questions</a>', "unsafe-url"),
    "reference": ("[vbs]: vbscript:msgbox(1)\n\nSee [our questions][vbs].", "unsafe-url"),
    "video": ('<video src="//cdn1.example.com/v.mp4"></video>', "third-party-request"),
    "source": (
        '<audio><source src="https://cdn2.example.com/a.mp3"></audio>',
        "third-party-request",
    ),
    "srcset": (
        '<img alt="A chart" srcset="../assets/logo.svg 1x, https://cdn3.example.com/a.png 2x">',
        "third-party-request",
    ),
    "image-reference": (
        "[chart]: https://cdn4.example.com/c.png\n\n![A chart][chart]",
        "third-party-request",
    ),
    "style": ("<style>p {}</style>", "csp-inline-style"),
    "form": ("<form></form>", "unsafe-html"),
    "object": ("<object></object>", "unsafe-html"),
    "embed": ('<embed src="x.swf">', "unsafe-html"),
}


def test_raw_html_is_reported_once_on_its_line_by_the_rendered_page_check(tmp_path: Path) -> None:
    """One rule id per problem (issue 14): scripts, refused tags, javascript: addresses and files
    from other sites are judged on the built page, with file and line; the content check of the
    Markdown no longer repeats them."""
    project = runnable_copy(tmp_path / "project")
    faq = project / "docs" / "faq.md"
    pages = ROOT / "tests" / "fixtures" / "content" / "pages"
    text, lines = faq.read_text(encoding="utf-8"), {}
    for name, (payload, _) in RAW_HTML.items():
        fixture = pages / f"{name}.md"  # its mistake is on its last line
        payload = payload or fixture.read_text(encoding="utf-8").strip().rsplit("\n", 1)[-1]
        lines[name] = text.count("\n") + 2
        text += f"\n{payload}\n"
    faq.write_text(text, encoding="utf-8")

    result = run(["make", "check", "PAGE=docs/faq.md"], project)

    assert result.returncode == 2, result.stdout + result.stderr
    for name, line in lines.items():
        found = [x for x in result.stdout.splitlines() if x.startswith(f"docs/faq.md:{line}: ")]
        rules = [x.split("[")[1].split("]")[0] for x in found]
        # one rule each: a refused <iframe src> is unsafe-html only, not also third-party-request
        assert rules == [RAW_HTML[name][1]], (name, found)
        assert all(" Fix: " in x for x in found), found
    for gone in ("html-tag", "html-url", "external-media"):
        assert f"[{gone}]" not in result.stdout


def test_a_bibliography_pybtex_cannot_read_is_one_problem_not_a_build_failure(
    tmp_path: Path,
) -> None:
    """The citation layer stops the build itself: mkdocs-bibtex would fail on the same file with
    pybtex's raw words (a second line, [build-failed], for one mistake)."""
    from iopguide import check

    project = copy_project(tmp_path / "project")
    edit(
        project / "bibliography.bib",
        "@misc{",
        "@misc{dup,\n  title = {a},\n  title = {b}\n}\n\n@misc{",
    )
    problems = check.build(project, tmp_path / "site")
    assert [p.rule for p in problems] == ["bib-duplicate-field"], problems
