"""The project's own build steps around the site engine (MkDocs or Zensical).

The engine only turns Markdown + data into HTML. Everything else is a plain step over the
built site, run by one command line (`guide ...` or `python -m pipeline ...`, see cli.py):

- __main__.py     `python -m pipeline`: runs cli.main
- cli.py          the commands (build, prepare, handouts, zip, check, serve, zensical)
- config.py       the few settings the steps read from mkdocs.yml (no MkDocs import)
- clock.py        today's date for the date checks (GUIDE_TODAY can set it)
- errors.py       PipelineError, the one exception the steps raise; Problem, what a check found
- pages.py        every page's front matter and macro calls, checked before the engine runs
- generate.py     files generated from data/ before the engine runs (GENERATED table)
- plan_bundle.py  the plan builder's ES modules joined into one script (works from file://)
- engine.py       running MkDocs or Zensical
- mkdocs_build.py the MkDocs engine step, with the theme's compiled templates kept
- link_brackets.py Python-Markdown's link brackets found faster (used by the MkDocs step)
- manifest.py     what the later steps need to know: chapters, titles, dates, citations, sources
- postprocess.py  edits to the built HTML: glossary first use, "cited on" lists, handout links, dates
- checks.py       checks over the built site that nothing wrong ships, and the verdict
- page_scan.py    one pass over a page: loads from other hosts, CSP, links, ids, accessibility
- script_scan.py  other hosts named in scripts; script and remote loads in SVG files
- site_rules.py   links between pages, and the guide's promises (safety first, care cards)
- style_scan.py   our style sheets: no rule may hide a safety part, on screen or on paper
- handouts.py     the PDF handouts (handout_pdf/ does the typesetting)
- offline_zip.py  the deterministic offline zip
- workspace.py    the build lock, the state folder (SITE.build) and clear file-system errors
- freshness.py    a built site is whole and newer than its inputs (handouts, zip, check; a build's end)
- serve.py        live preview
"""
