"""PDF and Excel exporters built from core results."""
