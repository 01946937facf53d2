"""Office Open XML packages read safely (zip and XML limits, no DTDs), styles and themes."""
