"""Which files under docs/ may be published, and what an SVG may contain (issue 12, point 4)."""

from __future__ import annotations

from pathlib import Path

import pytest

from iopguide import ROOT
from iopguide.report import ProblemsFound
from iopguide.security.files import (
    check_files,
    file_problems,
    load_publish_rules,
    svg_problems,
)

RULES = load_publish_rules(ROOT)
SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">{}</svg>'


@pytest.mark.parametrize(
    ("name", "rule"),
    [
        ("docs/x.html", "file-type-code"),
        ("docs/deep/x.HTM", "file-type-code"),
        ("docs/assets/app.js", "file-type-code"),
        ("docs/assets/app.mjs", "file-type-code"),
        ("docs/assets/app.wasm", "file-type-code"),
        ("docs/_redirects", "file-host-settings"),
        ("docs/assets/_headers", "file-host-settings"),
        ("docs/CNAME", "file-host-settings"),
        ("docs/.htaccess", "file-host-settings"),
        ("docs/netlify.toml", "file-host-settings"),
        ("docs/vercel.json", "file-host-settings"),
        ("docs/staticwebapp.config.json", "file-host-settings"),
        ("docs/data.json", "file-type"),
        ("docs/assets/README", "file-type"),
        ("docs/assets/page.xhtml", "file-type"),
    ],
)
def test_refused_files_are_named_with_a_fix(name: str, rule: str) -> None:
    problems = file_problems(name, RULES)
    assert [(p.file, p.rule) for p in problems] == [(name, rule)]
    assert problems[0].fix


@pytest.mark.parametrize(
    "name",
    [
        "docs/faq.md",
        "docs/assets/a.png",
        "docs/assets/a.JPG",
        "docs/assets/a.webp",
        "docs/assets/a.avif",
        "docs/assets/logo.svg",
        "docs/favicon.ico",
        "docs/assets/x.css",
        "docs/leaflet.pdf",
    ],
)
def test_allowed_types_pass(name: str) -> None:
    assert file_problems(name, RULES) == []


def test_the_lists_come_from_publishing_yml(tmp_path: Path) -> None:
    text = (ROOT / "publishing.yml").read_text(encoding="utf-8")
    (tmp_path / "publishing.yml").write_text(text.replace("documents: [pdf]", "documents: []"))
    rules = load_publish_rules(tmp_path)
    assert [p.rule for p in file_problems("docs/leaflet.pdf", rules)] == ["file-type"]
    assert file_problems("docs/leaflet.pdf", RULES) == []


def test_a_broken_publishing_yml_is_named(tmp_path: Path) -> None:
    text = (ROOT / "publishing.yml").read_text(encoding="utf-8")
    (tmp_path / "publishing.yml").write_text(text.replace("nesting_depth: 40", "nesting_depth: x"))
    with pytest.raises(ProblemsFound) as error:
        load_publish_rules(tmp_path)
    assert "publishing.yml: [rules-file] publishing.yml: 'limits: nesting_depth'" in str(
        error.value
    )


#: Hostile SVG content, each refused with its rule (and the line when the parser knows it).
HOSTILE_SVGS = [
    ("<script>alert(1)</script>", "svg-script"),
    ("<SCRIPT>alert(1)</SCRIPT>", "svg-script"),
    ('<script xlink:href="https://evil.example/x.js"/>', "svg-script"),
    (
        '<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>',
        "svg-script",
    ),
    ('<rect onload="alert(1)"/>', "svg-script"),
    ('<rect ONCLICK="alert(1)"/>', "svg-script"),
    ('<set attributeName="href" to="javascript:alert(1)"/>', "svg-script"),
    ('<a><animate attributeName="xlink:href" values="javascript:alert(1)"/></a>', "svg-script"),
    ('<a href="javascript:alert(1)"><text>x</text></a>', "svg-external"),
    ('<a xlink:href="jav&#x09;ascript:alert(1)"><text>x</text></a>', "svg-external"),
    ('<a href=" JavaScript:alert(1)"><text>x</text></a>', "svg-external"),
    ('<a href="vbscript:msgbox(1)"><text>x</text></a>', "svg-external"),
    ('<image href="https://evil.example/track.png"/>', "svg-external"),
    ('<image xlink:href="//evil.example/track.png"/>', "svg-external"),
    ('<image href="/\\evil.example/track.png"/>', "svg-external"),
    ('<image href=" \\/evil.example/track.png"/>', "svg-external"),
    ('<image href="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4="/>', "svg-external"),
    ('<image href="data:text/html,&lt;script&gt;"/>', "svg-external"),
    ('<use href="https://evil.example/sprite.svg#a"/>', "svg-external"),
    ('<a href="https://elsewhere.example/"><text>Get help</text></a>', "svg-external"),
    ('<rect style="fill: url(https://evil.example/x)"/>', "svg-external"),
    ("<style>rect { fill: url('//evil.example/x') }</style>", "svg-external"),
    ("<style>@import 'https://evil.example/x.css';</style>", "svg-external"),
]


@pytest.mark.parametrize(("body", "rule"), HOSTILE_SVGS)
def test_hostile_svgs_are_refused(body: str, rule: str) -> None:
    problems = svg_problems(SVG.format(body).encode(), "docs/assets/x.svg")
    assert rule in {p.rule for p in problems}, problems
    assert all(p.file == "docs/assets/x.svg" and p.line == 1 for p in problems)


def test_the_line_of_a_finding_is_given() -> None:
    svg = SVG.format("\n<rect/>\n\n<script>alert(1)</script>\n")
    assert [(p.rule, p.line) for p in svg_problems(svg.encode(), "x.svg")] == [("svg-script", 4)]


@pytest.mark.parametrize(
    "document",
    [
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
        b'<svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>',
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        b'<svg xmlns="http://www.w3.org/2000/svg"><text>&e;</text></svg>',
    ],
)
def test_entities_are_refused(document: bytes) -> None:
    assert [p.rule for p in svg_problems(document, "x.svg")] == ["svg-unsafe-xml"]


def test_a_style_sheet_instruction_is_refused() -> None:
    svg = b'<?xml-stylesheet href="https://evil.example/x.css"?>' + SVG.format("").encode()
    assert [p.rule for p in svg_problems(svg, "x.svg")] == ["svg-external"]


def test_broken_xml_is_named_with_its_line() -> None:
    problems = svg_problems(b'<svg xmlns="http://www.w3.org/2000/svg">\n<rect\n', "x.svg")
    assert [(p.rule, p.line) for p in problems] == [("svg-invalid", 2)]


@pytest.mark.parametrize(
    "body",
    [
        '<defs><linearGradient id="g"/></defs><rect style="fill: url(#g)"/>',
        '<a href="#top"><text>Top</text></a><use xlink:href="#g"/>',
        '<a href="../get-help-now/"><text>Get help now</text></a>',
        '<image href="data:image/png;base64,iVBORw0KGgo="/>',
        "<style>rect { fill: #0a5 }</style><title>A chart</title>",
        '<animate attributeName="opacity" values="0;1" dur="1s"/>',
    ],
)
def test_safe_svgs_pass(body: str) -> None:
    assert svg_problems(SVG.format(body).encode(), "x.svg") == []


def test_the_real_svgs_pass() -> None:
    svgs = sorted((ROOT / "docs").rglob("*.svg"))
    assert svgs, "the project has SVG files to check"
    files = [(p.relative_to(ROOT).as_posix(), p) for p in svgs]
    assert check_files(files, RULES) == []


def test_every_real_file_under_docs_may_be_published() -> None:
    files = [
        (p.relative_to(ROOT).as_posix(), p)
        for p in sorted((ROOT / "docs").rglob("*"))
        if p.is_file()
    ]
    assert len(files) > 10
    assert check_files(files, RULES) == []
