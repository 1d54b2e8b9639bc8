"""``ClovaSiteBuilder``: Great Expectations' Data Docs site, safe to open and readable offline.

Configure it like GX's own ``SiteBuilder`` (``great_expectations.yml``)::

    data_docs_sites:
      gx_clova_site:
        class_name: ClovaSiteBuilder
        module_name: gx_clova.docs
        store_backend:
          class_name: TupleFilesystemStoreBackend
          base_directory: uncommitted/data_docs/gx_clova_site/

Every page, GX's pages for built-in expectations included, is rendered by the escaping views
(:mod:`gx_clova.gx.docs.views`), and validation pages get gx-clova's dataset summary
(:mod:`gx_clova.gx.docs.pages`). Every page is passed through :func:`~gx_clova.gx.docs.harden.harden`
on its way to the store, whatever the store backend (filesystem, S3, …), and the stylesheets it
needs are written next to GX's own static files: the site makes no request to the network.
"""

from __future__ import annotations

import copy
import mimetypes
import os
from typing import Any

from great_expectations.core.util import nested_update
from great_expectations.data_context.store.html_site_store import HtmlSiteStore
from great_expectations.render.renderer.site_builder import SiteBuilder

from gx_clova.gx.docs.harden import STATIC, harden

ASSETS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "data", "docs")
#: Files copied into ``static/gx_clova/`` of every site.
ASSET_FILES = ("bootstrap.min.css", "bootstrap.LICENSE", "gx-clova.css")

_VIEW = {"module_name": "gx_clova.gx.docs.views", "class_name": "ClovaPageView"}
_SECTION = "DefaultSiteSectionBuilder"
_SECTIONS = {
    "expectations": {"class_name": _SECTION, "view": _VIEW},
    "validations": {
        "class_name": _SECTION,
        "renderer": {"module_name": "gx_clova.gx.docs.pages", "class_name": "ClovaValidationResultsPageRenderer"},
        "view": _VIEW,
    },
    "profiling": {"class_name": _SECTION, "view": _VIEW},
}
_INDEX = {"class_name": "DefaultSiteIndexBuilder",
          "view": {"module_name": "gx_clova.gx.docs.views", "class_name": "ClovaIndexPageView"}}
#: GX's index builder (named in most site configs) is replaced by gx-clova's, which keeps pages.
_CLOVA_INDEX = {"module_name": "gx_clova.gx.docs.index", "class_name": "ClovaSiteIndexBuilder"}


class HardenedSiteStore(HtmlSiteStore):
    """GX's HTML site store; every page is hardened before it is written."""

    def set(self, key: Any, serialized_value: Any) -> Any:
        if isinstance(serialized_value, str):
            depth = len(key.resource_identifier.to_tuple())  # validations/<suite>/<run>/<time>/<batch>.html
            serialized_value = harden(serialized_value, "../" * depth)
        return super().set(key, serialized_value)

    def write_index_page(self, page: str) -> Any:
        return super().write_index_page(harden(page, ""))

    def copy_static_assets(self, static_assets_source_dir: str | None = None) -> None:
        super().copy_static_assets(static_assets_source_dir)
        if static_assets_source_dir is None:  # the top call, not GX's recursion into sub-folders
            self.copy_clova_assets()

    def copy_clova_assets(self) -> None:
        backend = self.store_backends["static_assets"]
        for name in ASSET_FILES:
            with open(os.path.join(ASSETS, name), "rb") as handle:
                content = handle.read()
            content_type = mimetypes.guess_type(name)[0] or "text/plain"
            backend.set((*STATIC.strip("/").split("/"), name), content, content_type=content_type)


class ClovaSiteBuilder(SiteBuilder):
    """GX's ``SiteBuilder`` with escaping views, the dataset summary and hardened pages."""

    def __init__(
        self,
        data_context: Any,
        store_backend: dict,
        site_name: str | None = None,
        site_index_builder: dict | None = None,
        show_how_to_buttons: bool = False,
        site_section_builders: dict | None = None,
        runtime_environment: dict | None = None,
        **kwargs: Any,
    ) -> None:
        sections = nested_update(copy.deepcopy(_SECTIONS), copy.deepcopy(site_section_builders or {}))
        index = nested_update(copy.deepcopy(_INDEX), copy.deepcopy(site_index_builder or {}))
        if index.get("class_name") == "DefaultSiteIndexBuilder" and not index.get("module_name"):
            index.update(_CLOVA_INDEX)
        super().__init__(
            data_context=data_context,
            store_backend=store_backend,
            site_name=site_name,
            site_index_builder=index,
            show_how_to_buttons=show_how_to_buttons,
            site_section_builders=sections,
            runtime_environment=runtime_environment,
            **kwargs,
        )
        # GX builds a plain HtmlSiteStore and hands it to every section builder; swap in ours.
        hardened = HardenedSiteStore(store_backend=store_backend, runtime_environment=runtime_environment)
        self.target_store = hardened
        self.site_index_builder.target_store = hardened
        for section in self.site_section_builders.values():
            section.target_store = hardened
