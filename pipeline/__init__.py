"""The project's build steps around the site engine (h1 owns this package; h2 adds pages.py and checks.py)."""
