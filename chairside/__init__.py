"""chairside."""
