"""Code for the few sources that a YAML file cannot describe (named by ``plugin:``
or ``detail.extract:`` in their definitions)."""
