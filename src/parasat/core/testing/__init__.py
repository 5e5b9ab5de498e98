"""Test helpers shared by every app (each app keeps its factories beside its tests)."""
