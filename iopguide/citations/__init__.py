"""Citations: bibliography checks, citation scanning and protection, AMA references."""
