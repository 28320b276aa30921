"""Content rules for editors (front matter, review dates, language, readability, Markdown hygiene,
spelling), read from the data files at the project root (content-rules.yml, terms.yml,
reviewers.yml, word lists): :func:`.checker.check_pages`, ``python -m iopguide content``."""
