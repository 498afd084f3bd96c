"""Static analysis of a test suite: the test→endpoint map, coverage and duplicates."""
