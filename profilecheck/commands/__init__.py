"""Sub-commands, each imported only when it runs."""
