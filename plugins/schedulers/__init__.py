"""Built-in placement policies, registered under the ``things.schedulers`` entry point."""
