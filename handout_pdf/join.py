"""Join tagged PDFs, typeset one after another, into one tagged PDF (the whole guide).

The whole guide is typeset in parts so WeasyPrint holds one part in memory, not the book
(render.typeset_book_parts). General PDF tools drop what makes a PDF accessible, so the join is done
here with pikepdf (qpdf) and keeps all of it:

- the structure tree: one Document element whose kids are every part's kids, in order;
- the parent tree: each part's keys moved up by the keys before it (pages' StructParents and
  annotations' StructParent follow);
- bookmarks, one list in page order; named destinations, one tree;
- text: the Span WeasyPrint wraps around each run of text on a line is dropped and the text
  given to the element around it. Half of a part's objects are such Spans, and qpdf holds every
  object of the book (measured at 16x: 111,000 objects and 250 MB before, 62,000 and 184 MB after).
  A Span for an inline element of the page (<span>, <strong>) with nothing of its own goes the
  same way (the guide grew to 76,000 objects and 195 MB; 66,000 and 181 MB after);
- links between parts: a part links to an anchor in another part as LINK_SCHEME + name (so
  WeasyPrint does not drop the link as broken); here they become links to that named destination.

The first part (the cover) gives the document its metadata: title, language, XMP.
"""
from __future__ import annotations

import sys
import warnings
from pathlib import Path
from typing import Any, Sequence

import pikepdf
from pikepdf import Array, Dictionary, Name, NameTree, Pdf

from .chapter import HandoutError
from .render import LINK_SCHEME


def join(parts: Sequence[Path], target: Path) -> int:
    """Write the parts, in order, as one tagged PDF to target; return its page count.

    One part is open at a time: qpdf holds every object of an open PDF in memory (about 1.4 KB
    each, and a part has thousands), and the copies are all the joined PDF needs."""
    out = Pdf.new()
    elements: list[pikepdf.Object] = []
    parent_nums: list[Any] = []  # key, value, key, value ...
    dests: dict[str, pikepdf.Object] = {}
    outlines: list[Any] = []
    part_documents: set[tuple[int, int]] = set()
    next_key = 0
    version = "1.7"
    for n, path in enumerate(parts):
        src = Pdf.open(path)
        pairs = parent_nums_of(src, path)
        _unwrap_text_spans(pairs)
        _shift_struct_parents(src, next_key)  # in the part, before anything is copied
        with warnings.catch_warnings():
            # It warns that extend() leaves named destinations behind: they are joined below.
            warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
            out.pages.extend(src.pages)
        parent_nums.extend(item for key, value in pairs for item in (key + next_key, _copy(out, value)))
        next_key += max((key + 1 for key, _ in pairs), default=0)
        for document in src.Root.StructTreeRoot.K:
            elements.extend(out.copy_foreign(kid) for kid in document.K)
            part_documents.add(out.copy_foreign(document).objgen)
        named = src.Root.get("/Names", Dictionary()).get("/Dests")
        for name, dest in (NameTree(named).items() if named is not None else ()):
            if name in dests:
                raise HandoutError(f"two parts of the book have an anchor '{name}'; ids must be unique.")
            dests[name] = _copy(out, dest)
        if "/Outlines" in src.Root and "/First" in src.Root.Outlines:
            outlines.append(out.copy_foreign(src.Root.Outlines))
        if n == 0:  # the cover gives the whole its metadata
            version = src.pdf_version
            for key in ("/Lang", "/MarkInfo", "/ViewerPreferences", "/Metadata"):
                if key in src.Root:
                    out.Root[key] = _copy(out, src.Root[key])
            out.docinfo = _copy(out, src.trailer.Info)
        del src
    _struct_tree(out, elements, parent_nums, next_key, part_documents)
    _names(out, dests)
    _outlines(out, outlines)
    _links_between_parts(out, dests)
    out.save(target, min_version=version, deterministic_id=True,
             object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return len(out.pages)


def parent_nums_of(src: Pdf, path: Path) -> list[tuple[int, pikepdf.Object]]:
    """The (key, value) pairs of a part's parent tree (WeasyPrint writes one flat /Nums array)."""
    tree = src.Root.StructTreeRoot.ParentTree
    if "/Kids" in tree or "/Nums" not in tree:
        raise HandoutError(f"{path.name}: its parent tree is not one flat list; the join cannot read it.")
    nums = list(tree.Nums)
    return [(int(nums[i]), nums[i + 1]) for i in range(0, len(nums), 2)]


def _copy(out: Pdf, value: Any) -> Any:
    """value, copied into out. qpdf copies indirect objects only, and copies each once per
    source: a page or element reached again is the copy already made."""
    if not isinstance(value, pikepdf.Object):
        return value  # pikepdf gives numbers and booleans as Python values
    if value.is_indirect:
        return out.copy_foreign(value)
    if isinstance(value, Array):
        return Array([_copy(out, item) for item in value])
    if isinstance(value, Dictionary):
        return Dictionary({key: _copy(out, item) for key, item in value.items()})
    return value


# What WeasyPrint writes for each run of text on a line, and for an inline element of the page
# (<span>, <strong>, <em>...) with no language or alternate text: a Span, and nothing a reader uses.
_TEXT_SPAN_KEYS = {"/Type", "/S", "/K", "/Pg", "/P"}


def _unwrap_text_spans(pairs: list[tuple[int, pikepdf.Object]]) -> None:
    """Give each line's text to the element around it, in place of the Span WeasyPrint wraps it in.

    The Span says nothing a screen reader uses (it has no language, alternate text or role), but
    half of a part's objects are such Spans, and qpdf holds every object of the joined book in
    memory. The text's marked-content id moves into its parent's kids, in the same place, and
    the page's parent-tree row then leads to the parent. Empty Spans beside the text go too, and a
    Span of the page's own left around one id goes the same way in the next round."""
    rows = [row for _key, row in pairs if isinstance(row, Array)]  # a link's row is its Link element
    while True:
        spans = {element.objgen: element for row in rows for element in row if _is_text_span(element)}
        if not spans:
            return
        for row in rows:
            for n, element in enumerate(row):
                if isinstance(element, Dictionary) and element.objgen in spans:
                    row[n] = element.P
        for parent in {span.P.objgen: span.P for span in spans.values()}.values():
            kids = parent.K if isinstance(parent.K, Array) else [parent.K]
            unwrapped = [kid.K[0] if isinstance(kid, Dictionary) and kid.objgen in spans else kid
                         for kid in kids if not _is_empty_span(kid)]
            parent.K = Array(unwrapped) if isinstance(parent.K, Array) else unwrapped[0]


def _is_text_span(element: Any) -> bool:
    if not isinstance(element, Dictionary) or element.get("/S") != "/Span" or set(element.keys()) != _TEXT_SPAN_KEYS:
        return False
    kids, parent = element.K, element.P
    return (isinstance(kids, Array) and len(kids) == 1 and isinstance(kids[0], int)
            and isinstance(parent.get("/K"), (Array, Dictionary)) and parent.get("/Pg") is not None
            and parent.Pg.objgen == element.Pg.objgen)


def _is_empty_span(element: Any) -> bool:
    """An inline element's Span with no text in it (no marked content, no kids): nothing to read."""
    return (isinstance(element, Dictionary) and element.get("/S") == "/Span" and set(element.keys()) == _TEXT_SPAN_KEYS
            and isinstance(element.K, Array) and len(element.K) == 0)


def _shift_struct_parents(src: Pdf, base: int) -> None:
    """Move a part's parent-tree keys up by base where its pages and their annotations and form
    XObjects use them (only pages and links do, in WeasyPrint's PDFs)."""
    todo: list[Any] = [page.obj for page in src.pages]
    seen: set[tuple[int, int]] = set()
    while todo:
        obj = todo.pop()
        if obj.objgen in seen and obj.objgen != (0, 0):
            continue
        seen.add(obj.objgen)
        for key in ("/StructParents", "/StructParent"):
            if key in obj:
                obj[key] = int(obj[key]) + base
        todo.extend(obj.get("/Annots", ()))
        xobjects = obj.get("/Resources", Dictionary()).get("/XObject", Dictionary())
        todo.extend(x for x in xobjects.values() if x.get("/Subtype") == "/Form")


def _struct_tree(out: Pdf, elements: list[pikepdf.Object], parent_nums: list[Any], next_key: int,
                 part_documents: set[tuple[int, int]]) -> None:
    document = out.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, K=Array(elements)))
    root = out.make_indirect(Dictionary(Type=Name.StructTreeRoot, K=Array([document])))
    document.P = root
    for element in elements:
        element.P = document
    # WeasyPrint's page furniture (running heads, page numbers) is a NonStruct child of its part's
    # Document that the Document does not list; it moves to the joined Document the same way.
    seen: set[tuple[int, int]] = set()
    for value in parent_nums[1::2]:
        for element in (value if isinstance(value, Array) else [value]):
            while isinstance(element, Dictionary) and element.objgen not in seen and element.get("/P") is not None:
                seen.add(element.objgen)
                if element.P.objgen in part_documents:
                    element.P = document
                    break
                element = element.P
    root.ParentTree = out.make_indirect(Dictionary(Nums=Array(parent_nums)))
    root.ParentTreeNextKey = next_key
    out.Root.StructTreeRoot = root


def _names(out: Pdf, dests: dict[str, pikepdf.Object]) -> None:
    tree = NameTree.new(out)
    for name in sorted(dests):
        tree[name] = dests[name]
    out.Root.Names = Dictionary(Dests=tree.obj)


def _outlines(out: Pdf, roots: list[Any]) -> None:
    """One bookmark list: each part's top-level items, chained in part order."""
    top = out.make_indirect(Dictionary(Type=Name.Outlines))
    items: list[Any] = []
    count = 0
    for root in roots:
        item = root.First
        while True:
            items.append(item)
            if "/Next" not in item:
                break
            item = item.Next
        count += int(root.get("/Count", 0))
    for before, after in zip(items, items[1:], strict=False):  # each item and the next
        before.Next, after.Prev = after, before
    for item in items:
        item.Parent = top
    if items:
        top.First, top.Last, top.Count = items[0], items[-1], count
        out.Root.Outlines = top


def _links_between_parts(out: Pdf, dests: dict[str, pikepdf.Object]) -> None:
    for number, page in enumerate(out.pages, start=1):
        for annot in page.obj.get("/Annots", Array()):
            uri = str(annot.get("/A", Dictionary()).get("/URI", ""))
            if not uri.startswith(LINK_SCHEME):
                continue
            name = uri[len(LINK_SCHEME):]
            if name not in dests:
                raise HandoutError(f"page {number} links to '#{name}', which no part of the book has.")
            del annot["/A"]
            annot.Dest = pikepdf.String(name)
            annot.Contents = pikepdf.String(name)


def main(argv: Sequence[str]) -> int:
    """python -m handout_pdf.join TARGET PART...: prints the page count. Run in a process of its
    own (render._join), so the join's memory does not stack on WeasyPrint's."""
    try:
        print(join([Path(p) for p in argv[1:]], Path(argv[0])))
    except HandoutError as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
