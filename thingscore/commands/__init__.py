"""One module per `things` subcommand."""
