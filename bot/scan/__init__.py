"""Static endpoint inventory: scanners per framework family, merged into one model."""
