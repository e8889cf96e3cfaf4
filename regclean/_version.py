"""The version of regclean (one place; the package root and the site's fingerprint read it)."""

__version__ = "0.1.0"
