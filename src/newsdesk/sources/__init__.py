"""Sources stage: where records come from and what they mean.

* :mod:`.catalog` — the YAML source definitions (built in under ``catalog/``, more in
  ``sources.folder``), their display names and schedules (:mod:`.schedule`);
* :mod:`.files` — the seed system's JSON files and JSON Lines found under a folder;
* :mod:`.records` — one record checked and made an article's raw fields;
* :mod:`.dates` — the many ways sites write a date, read in a source's zone;
* :mod:`.plugins` — Python for the few sources a definition cannot describe.
"""
