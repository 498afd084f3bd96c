"""Self-healing: repair tests after an API change with libcst codemods."""
