"""Number citations in reading order: Python-Markdown's footnotes (3.11) reach nested blocks
(lists, admonitions) out of document order, so this pass renumbers the rendered references by
first appearance and puts the list at the end of the page in the same order.
"""

from __future__ import annotations

import re

_REF = re.compile(r'(<a class="footnote-ref" href="#fn:([^"]+)">)(\d+)(</a>)')
_LIST = re.compile(r'(<div class="footnote">\s*<hr\s*/?>\s*<ol>)(.*?)(\s*</ol>\s*</div>)', re.S)
_ITEM = re.compile(r'\s*<li id="fn:([^"]+)">.*?</li>(?=\s*<li id="fn:|\s*$)', re.S)


def reading_order(html: str) -> str:
    """Renumber footnote references and reorder the footnote list by first reference."""
    order: dict[str, int] = {}
    for match in _REF.finditer(html):
        order.setdefault(match.group(2), len(order) + 1)
    if not order:
        return html
    lists = list(_LIST.finditer(html))
    if not lists:
        return html
    block = lists[-1]
    body = block.group(2)
    items = [(m.group(1), m.group(0)) for m in _ITEM.finditer(body)]
    whole = "".join(text for _, text in items).strip() == body.strip()
    if not whole or len(items) != body.count('id="fn:'):
        # Not the shape we know: leave the page as Python-Markdown made it.
        return html
    unreferenced = len(order) + 1
    items.sort(key=lambda item: order.get(item[0], unreferenced))
    new_list = block.group(1) + "".join(text for _, text in items) + block.group(3)
    html = html[: block.start()] + new_list + html[block.end() :]
    return _REF.sub(lambda m: f"{m.group(1)}{order[m.group(2)]}{m.group(4)}", html)
