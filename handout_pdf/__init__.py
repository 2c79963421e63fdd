"""Chapter handouts: each chapter's rendered HTML, cleaned and typeset as a tagged A4 PDF.

pipeline/handouts.py feeds it from the built site; this package holds the parts that need no
site engine, so they can run in worker processes and be tested on their own:

- chapter.py   what a handout is made from (picklable, no MkDocs objects)
- clean.py     page HTML -> handout HTML (no permalinks, citations as text, empty tick boxes)
- screen_only.py what only makes sense on a screen (left out of handouts; the site checks read it too)
- sheets.py    the handouts' style sheets and templates, named once (the site checks read them too)
- document.py  the handout HTML documents (one chapter, or the whole guide)
- recipes.py   the two kinds of handout (one chapter, the whole guide) as plain data with a cache key
- render.py    WeasyPrint, local files only, with a content-hash cache
- join.py      the whole guide's parts joined into one tagged PDF
- lifetime.py  worker processes that stop with their parent
- listing.py   the table of PDFs on the Handouts page
"""
