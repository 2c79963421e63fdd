"""Is a tagged PDF's structure whole? What a screen reader follows, checked object by object.

Used on the whole guide, which is joined from parts (handout_pdf/join.py): every piece of marked
text on a page must lead, through the parent tree, to the element that claims it, and back; every
link must be claimed by a Link element; every link, bookmark and named destination must land on a
page of this document.
"""
from __future__ import annotations

from pathlib import Path

import pikepdf


def _walk(element, parent, seen, problems, claimed, links):
    if element.objgen in seen:
        problems.append(f"element {element.objgen} is in the tree twice")
        return
    seen.add(element.objgen)
    if parent is not None and element.get("/P") is not None and element.P.objgen != parent.objgen:
        problems.append(f"element {element.get('/S')} {element.objgen}: /P is not its parent")
    kids = element.get("/K")
    if kids is None:
        return
    for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
        if isinstance(kid, int):
            claimed.add((element.Pg.objgen, kid, element.objgen))
        elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
            page = kid.get("/Pg", element.get("/Pg"))
            claimed.add((page.objgen, int(kid.MCID), element.objgen))
        elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
            links[kid.Obj.objgen] = element
        elif isinstance(kid, pikepdf.Dictionary):
            _walk(kid, element, seen, problems, claimed, links)


def _furniture(element, document) -> bool:
    """WeasyPrint 70 tags running heads and page numbers as NonStruct children of the Document
    that the Document does not list: out of the reading order, as page furniture should be."""
    while element.get("/P") is not None and element.P.objgen != document.objgen:
        element = element.P
    return element.get("/S") == "/NonStruct" and element.get("/P") is not None


def tag_problems(path: Path) -> list[str]:
    problems: list[str] = []
    with pikepdf.open(path) as pdf:
        pages = {page.obj.objgen: n for n, page in enumerate(pdf.pages, start=1)}
        root = pdf.Root.StructTreeRoot
        claimed: set[tuple] = set()
        links: dict[tuple, pikepdf.Dictionary] = {}
        seen: set[tuple] = set()
        top = root.K if isinstance(root.K, pikepdf.Array) else [root.K]
        if len(top) != 1 or top[0].S != "/Document":
            problems.append("the structure tree does not have one Document element at the top")
        for element in top:
            _walk(element, None, seen, problems, claimed, links)
        nums = list(root.ParentTree.Nums)
        parent_tree = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        if int(root.get("/ParentTreeNextKey", max(parent_tree) + 1)) <= max(parent_tree):
            problems.append("ParentTreeNextKey is not above every key")
        for (page, _mcid, element) in claimed:
            if page not in pages:
                problems.append(f"element {element} claims text on a page that is not in the document")
        for page in pdf.pages:
            number = pages[page.obj.objgen]
            mcids = [int(operands[1].MCID) for operands, op in pikepdf.parse_content_stream(page)
                     if op == pikepdf.Operator("BDC") and isinstance(operands[1], pikepdf.Dictionary)
                     and "/MCID" in operands[1]]
            if mcids:
                row = parent_tree.get(int(page.obj.get("/StructParents", -1)))
                if not isinstance(row, pikepdf.Array):
                    problems.append(f"page {number}: its StructParents leads to no row of the parent tree")
                    continue
                for mcid in mcids:
                    element = row[mcid] if mcid < len(row) else None
                    if not isinstance(element, pikepdf.Dictionary):
                        problems.append(f"page {number}: marked text {mcid} leads to no element")
                    elif (page.obj.objgen, mcid, element.objgen) not in claimed and not _furniture(element, top[0]):
                        problems.append(f"page {number}: marked text {mcid} leads to an element outside the tree")
            for annot in page.obj.get("/Annots", []):
                if annot.get("/Subtype") != "/Link":
                    continue
                owner = parent_tree.get(int(annot.get("/StructParent", -1)))
                if not isinstance(owner, pikepdf.Dictionary) or links.get(annot.objgen) is None or owner.objgen != links[annot.objgen].objgen:
                    problems.append(f"page {number}: a link is not claimed by its Link element")
        names = dict(pikepdf.NameTree(pdf.Root.Names.Dests).items()) if "/Names" in pdf.Root else {}
        for name, dest in names.items():
            if dest[0].objgen not in pages:
                problems.append(f"named destination '{name}' points outside the document")
        for page in pdf.pages:
            for annot in page.obj.get("/Annots", []):
                dest = annot.get("/Dest")
                if isinstance(dest, pikepdf.String) and str(dest) not in names:
                    problems.append(f"page {pages[page.obj.objgen]}: a link goes to '{dest}', which is not defined")
                uri = str(annot.get("/A", {}).get("/URI", ""))
                if uri and not uri.startswith(("https://", "http://", "mailto:", "tel:")):
                    problems.append(f"page {pages[page.obj.objgen]}: a link to '{uri}' would not open")
        with pdf.open_outline() as outline:
            stack = list(outline.root)
            while stack:
                item = stack.pop()
                stack.extend(item.children)
                dest = item.destination
                if isinstance(dest, pikepdf.Array) and dest[0].objgen not in pages:
                    problems.append(f"bookmark '{item.title}' points outside the document")
    return problems
