"""Page hooks: trust block data, JSON-LD and HTML fixes after rendering.

Thin on purpose: the logic lives in ``iopguide.pages``.
"""
