"""Link check of the built site (``python -m iopguide links SITE_DIR [--external]``).

LinkChecker runs over the built HTML served on 127.0.0.1 (:mod:`.linkchecker`), so links from
templates, raw HTML and plugins are checked too; our #anchors are checked reading each page once
(:mod:`.fragments`); each problem names the file an editor fixes (:mod:`.report`).
"""
