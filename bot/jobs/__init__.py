"""Job functions the worker runs: plain coroutines taking arq's ctx and JSON-able arguments."""
