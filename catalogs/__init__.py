"""Catalog definitions, XSLT stylesheets and CSS shipped with regclean (``regclean.catalogs``)."""
