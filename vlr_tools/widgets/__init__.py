"""Notebook widgets (ipywidgets) built from importable modules, one per feature."""
