"""Security headers for the built site, generated from the built pages.

- :mod:`iopguide.security.published` judges every published HTML file as a browser reads it
  (:mod:`iopguide.security.parse`), with the misleading-content rules of
  :mod:`iopguide.security.misleading`, and maps each finding to its source file and line.
- :mod:`iopguide.security.theme` knows the inline scripts and styles the theme and our
  templates write without any page content; :mod:`iopguide.security.csp` allows exactly those in
  one strict Content-Security-Policy, written as a ``_headers`` file (Netlify / Cloudflare Pages
  format) and as a ``<meta http-equiv>`` early in each page.
- :mod:`iopguide.security.trim` removes files readers never load (source maps, search-language
  files for languages the site does not use), and makes the search index load only when a
  reader opens search.

The MkDocs hook ``overrides/hooks/security.py`` runs both after every build;
``python -m iopguide headers SITE_DIR`` does the same for a site built elsewhere.
"""

from iopguide.security.csp import (
    HEADERS_FILE,
    SiteSecurity,
    apply_security,
    build_policy,
    parse_headers_file,
)
from iopguide.security.trim import (
    defer_search_index,
    defer_search_worker,
    skip_alternate_sitemaps,
    trim_site,
)

__all__ = [
    "HEADERS_FILE",
    "SiteSecurity",
    "apply_security",
    "build_policy",
    "defer_search_index",
    "defer_search_worker",
    "parse_headers_file",
    "skip_alternate_sitemaps",
    "trim_site",
]
