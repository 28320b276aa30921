"""Size of the ``iopguide`` package (issue 14: smaller than 7,547 lines).

Prints, per part of the package, its physical lines (what ``wc -l`` counts, the issue's measure)
and its code lines (without blank lines, comments and docstrings), then the totals; then the
editor messages and other data kept as YAML (or TOML) in the package (``messages.yml``, schemas,
policy tables), which were Python before and are counted apart.

    .venv/bin/python bench/size.py [PACKAGE_DIR]
"""

from __future__ import annotations

import ast
import io
import sys
import tokenize
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIP = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT}


def docstring_lines(tree: ast.Module) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        kinds = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
        if isinstance(node, kinds) and node.body:
            first = node.body[0]
            value = first.value if isinstance(first, ast.Expr) else None
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                lines.update(range(first.lineno, (first.end_lineno or first.lineno) + 1))
    return lines


def code_lines(source: str) -> int:
    lines: set[int] = set()
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type not in SKIP and token.type != tokenize.ENDMARKER:
            lines.update(range(token.start[0], token.end[0] + 1))
    return len(lines - docstring_lines(ast.parse(source)))


def main() -> None:
    package = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "iopguide"
    physical: Counter[str] = Counter()
    code: Counter[str] = Counter()
    for path in sorted(package.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        parts = path.relative_to(package).parts
        part = parts[0] + "/" if len(parts) > 1 else parts[0]
        physical[part] += len(source.splitlines())
        code[part] += code_lines(source)
    print(f"{'part':24} {'lines':>7} {'code':>7}")
    for part in sorted(physical, key=lambda p: -physical[p]):
        print(f"{part:24} {physical[part]:7,} {code[part]:7,}")
    print(f"{'total':24} {sum(physical.values()):7,} {sum(code.values()):7,}")
    counts = {
        path.relative_to(package).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
        for path in sorted([*package.rglob("*.yml"), *package.rglob("*.toml")])
    }
    print(f"\n{'messages and data':24} {'lines':>7}")
    for name, count in counts.items():
        print(f"{name:24} {count:7,}")
    total = sum(physical.values()) + sum(counts.values())
    print(f"{'total with data':24} {total:7,}")


if __name__ == "__main__":
    main()
