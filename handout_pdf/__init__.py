"""Chapter handouts: each chapter's rendered HTML, cleaned and typeset as a tagged A4 PDF.

The MkDocs side lives in hooks/handouts.py; this package holds the parts that do not need
MkDocs, so they can run in worker processes and be tested on their own:

- chapter.py   what a handout is made from (picklable, no MkDocs objects)
- clean.py     page HTML -> handout HTML (no permalinks, citations as text, empty tick boxes)
- document.py  the handout HTML documents (one chapter, or the whole guide)
- render.py    WeasyPrint, local files only, with a content-hash cache
- listing.py   the table of PDFs on the Handouts page
"""
