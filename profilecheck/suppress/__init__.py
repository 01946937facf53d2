"""What the user accepts: waivers per file and finding, baselines of known findings."""
