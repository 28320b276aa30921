"""Citation hooks: validate and protect citations before mkdocs-bibtex renders them.

Thin on purpose: the logic lives in ``iopguide.citations``.
"""
