"""The scale benchmark of issue 12: `python -m bench` (or `make bench`); see bench/README.md."""

import os

if os.environ.get("DJANGO_SETTINGS_MODULE") == "bench.settings":
    # The project package reads settings while it is imported (greenjobs.pdf); it must be imported
    # before bench.settings is, or that read would find bench.settings half-loaded. Importing it here,
    # before the settings module starts, gives the order production's own settings module gets.
    import greenjobs  # noqa: F401
