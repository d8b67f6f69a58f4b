"""The learner's side of the harness: the ``katas`` command (watch mode, list, hints, reset, solutions)
and the progress it keeps in a small state file, shared with plain ``pytest`` runs."""
