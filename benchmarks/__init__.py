"""claimcmp's benchmark suite: ``python -m benchmarks`` writes docs/benchmarks.md.

Evaluation data is read from ``../shared/eval`` beside the repository (or ``$CLAIMCMP_EVAL_DIR``)
and is never copied into the project; sections that need it are skipped with a message when it
is absent.
"""
