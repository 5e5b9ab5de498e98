"""Shared test helpers: factories and personas for every app's tests."""
