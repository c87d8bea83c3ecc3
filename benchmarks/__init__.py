"""Scripted measurements (not part of the test run); see each script's docstring."""
