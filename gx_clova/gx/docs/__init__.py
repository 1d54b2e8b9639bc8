"""Data Docs a reviewer can open anywhere: escaped, script-free, offline, with a dataset summary.

``ClovaSiteBuilder`` is the site class to name in ``great_expectations.yml``
(``class_name: ClovaSiteBuilder``, ``module_name: gx_clova.docs``). The layers, outermost first:

- :mod:`gx_clova.gx.docs.site`: the site builder and its hardened store;
- :mod:`gx_clova.gx.docs.pages`: the validation page with the dataset summary;
- :mod:`gx_clova.gx.docs.views`: GX's Jinja views with autoescape on;
- :mod:`gx_clova.gx.docs.blocks`: the content blocks gx-clova's expectations render (data only in parameters);
- :mod:`gx_clova.gx.docs.harden`: the allow-list pass every page goes through (no GX import);
- :mod:`gx_clova.gx.docs.charts`: inline SVG charts (no GX import).
"""

from gx_clova.gx.docs.site import ClovaSiteBuilder

__all__ = ["ClovaSiteBuilder"]
