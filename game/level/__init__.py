"""Level model, loader/validator, writer and library (making a level from a video is
game.authoring.importer)."""
