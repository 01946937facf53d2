"""The command line (click); each sub-command imports what it needs only when it runs."""
