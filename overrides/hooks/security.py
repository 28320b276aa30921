"""Security hooks: security headers with CSP hashes, written after the build.

Thin on purpose: the logic lives in ``iopguide.security``.
"""
