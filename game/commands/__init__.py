"""One module per `cover-dance` subcommand; each exposes `register(subparsers)`."""
