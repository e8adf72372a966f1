"""Long-running reliability checks; the test suite runs short versions."""
