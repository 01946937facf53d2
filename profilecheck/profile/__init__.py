"""Profiles as data: loading and inheritance, rule files, typed parameters, settings, tokens."""
