"""Link check of the built site (``python -m iopguide links SITE_DIR [--external]``): LinkChecker
over the site served on 127.0.0.1 (.linkchecker), our #anchor check (.fragments), and each
problem where an editor fixes it (.report)."""
