"""``module_name: gx_clova.docs`` in a project's Data Docs site (written by ``gx-clova init``)
names this module; the site lives in :mod:`gx_clova.gx.docs`."""

from gx_clova.gx.docs import ClovaSiteBuilder

__all__ = ["ClovaSiteBuilder"]
