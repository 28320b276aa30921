"""Link check of the built site (``python -m iopguide links SITE_DIR [--external]``).

``mkdocs build --strict`` checks links written in Markdown only. This check runs LinkChecker over
the built HTML, so links from templates (overrides/), raw HTML and plugins are checked too. The
site is served on 127.0.0.1 by a small local server (folder URLs such as ``faq/`` resolve to
``faq/index.html`` as on a real host; a folder without ``index.html`` is a 404), and LinkChecker
starts at every page, so pages outside the navigation are checked as well. The #anchors of our
own pages are checked here (:func:`check_fragments`), reading each built page once: LinkChecker's
AnchorCheck plugin fetched and parsed a page again for every #anchor linking to it.

Every broken link is reported where an editor can fix it: the Markdown page and line when the link
comes from the page's text, the template file and line when it comes from overrides/, else the
built page and line. LinkChecker reports a broken target once; we list every page that has it.

With ``--external``, the external links found are then checked online with the rate limit of
``linkcheckerrc``; links that failed for a temporary reason are retried a bounded number of times;
403/429/503 answers from hosts known to block bots are "unverified", not "broken".

- :mod:`.linkchecker` runs LinkChecker against the site served on 127.0.0.1 and reads its XML.
- :mod:`.locate` finds the file and line an editor changes for a link.
- :mod:`.fragments` checks the #anchors of our own pages.
- :mod:`.report` turns the results into problems (internal, external, link text).
- :mod:`.cli` is ``python -m iopguide links`` and the check ``make check`` runs.
"""
