"""The maintainers' checks behind ``make check``: each proves one property of the specification.

mirror (katas/ and solutions/ agree; hints and TODOs never give the answer), katas (every test fails on
a stub), order (no test relies on a later kata), mutants (every mistake caught), alternatives (every
correct variant accepted), clean (nothing written into the checkout), seeds (end-to-end verdicts hold
for every seed; not part of make check). overlays and overlay_worker run mutants and alternatives;
stub writes a new kata module's stubs.
"""
