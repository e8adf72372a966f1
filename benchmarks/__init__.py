"""desktop-app's benchmark suite: every path a user waits on, next to the
floor the libraries we use set, measured in the same run.

Run ``python -m benchmarks`` (``--quick`` for a fast pass).
"""
