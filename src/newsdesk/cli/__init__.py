"""The ``newsdesk`` command: ``main`` (the app, its options and the stage commands),
``sources`` (fetch, run, workers, jobs, sources), ``watch`` (watchlists and alerts),
``briefs`` (the morning and close briefs), ``users`` (accounts and their tokens), ``search``
and ``common`` (what they share)."""
