"""The engine: the rule-type base class, the registry of rule types, checking a file, the score."""
