"""Citation hooks: validate and protect citations before mkdocs-bibtex renders them.

Thin on purpose: the logic lives in ``iopguide.citations`` (iopguide/citations/layer.py for the
events and their priorities, decisions/0002-citation-layer.md for why).
"""

from iopguide.citations.layer import CitationLayer

hooks = CitationLayer()
on_config = hooks.on_config
on_pre_build = hooks.on_pre_build
on_page_markdown = hooks.on_page_markdown
on_page_content = hooks.on_page_content
on_env = hooks.on_env
