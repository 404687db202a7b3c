"""Level model, loader/validator, writer, library and the video importer."""
