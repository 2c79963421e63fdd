"""The project's own build steps around the site engine (MkDocs or Zensical).

The engine only turns Markdown + data into HTML. Everything else is a plain step over the
built site, run by one command line (`guide ...` or `python -m pipeline ...`, see cli.py):

- config.py      the few settings the steps read from mkdocs.yml (no MkDocs import)
- generate.py    files generated from data/ before the engine runs (GENERATED table)
- manifest.py    what the later steps need to know: chapters, titles, dates, citations, sources
- postprocess.py edits to the built HTML: glossary first use, "cited on" lists, handout links, dates
- handouts.py    the PDF handouts (handout_pdf/ does the typesetting)
- offline_zip.py the deterministic offline zip
- workspace.py   the build lock, the staging folder and clear file-system errors
- engine.py      running MkDocs or Zensical
- serve.py       live preview
"""
