"""Level model, loader/validator, writer, importer and demo-level generator."""
