"""Headless core: models, taxonomy, scoring, classification, strategy. Never imports Qt."""
