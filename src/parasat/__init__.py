"""Parasat: an integrity systems review, from the first workshop to the monitored action plan."""
