"""The site's index: every page a site ever got stays listed, and each run shows one of three states.

GX's :class:`DefaultSiteIndexBuilder` deletes, on every build, the pages whose suite or result is
not in the *current* context's stores, so a run of one task into a shared ``--docs`` site
(gx-clova's context is ephemeral) would delete the other task's suite page while the index still
linked it. :class:`ClovaSiteIndexBuilder` keeps every page, and its status column says passed
(green check), passed with warnings (amber mark with the warning count) or failed (red cross),
as the validation page's header does (:func:`gx_clova.docs.pages.state_of`).
"""

from __future__ import annotations

import pathlib
import re
import urllib.parse
from typing import Any

from great_expectations.data_context.types.resource_identifiers import ValidationResultIdentifier
from great_expectations.render import RenderedStringTemplateContent
from great_expectations.render.renderer import SiteIndexPageRenderer
from great_expectations.render.renderer.site_builder import DefaultSiteIndexBuilder

from gx_clova.gx.docs.pages import FAILED, PASSED, state_of, state_param

#: The state a validation page's header states, and its warning count.
STATE = re.compile(r'data-gx-clova-verdict="([a-z]+)"[^>]*>[^<]*</strong>\s*<span[^>]*>(?:· ([0-9,]+))?')


class ClovaSiteIndexBuilder(DefaultSiteIndexBuilder):
    # GX passes its runtime environment only to parameters it finds in the signature: spelt out.
    def __init__(self, name: Any, site_name: Any, data_context: Any, target_store: Any,
                 site_section_builders_config: Any, custom_styles_directory: Any = None,
                 custom_views_directory: Any = None, show_how_to_buttons: bool = True,
                 validation_results_limit: Any = None, renderer: dict | None = None, view: Any = None,
                 data_context_id: Any = None, source_stores: Any = None, **kwargs: Any) -> None:
        if renderer is None or renderer.get("class_name") == "SiteIndexPageRenderer":
            renderer = {"module_name": __name__, "class_name": "ClovaSiteIndexPageRenderer"}
        super().__init__(name, site_name, data_context, target_store, site_section_builders_config,
                         custom_styles_directory=custom_styles_directory,
                         custom_views_directory=custom_views_directory, show_how_to_buttons=show_how_to_buttons,
                         validation_results_limit=validation_results_limit, renderer=renderer, view=view,
                         data_context_id=data_context_id, source_stores=source_stores, **kwargs)

    def build(self, skip_and_clean_missing: bool = True, build_index: bool = True) -> Any:
        """GX's build, never removing a page: other tasks' and files' pages stay in the site."""
        return super().build(skip_and_clean_missing=False, build_index=build_index)

    def _add_validations_to_index_links(self, index_links_dict: Any, site_keys: list) -> None:
        """GX lists the pages whose results the current context's store holds; a page another
        run wrote (another project, the ``--docs`` folder of ``validate``) is listed too, with
        the state its own header states."""
        super()._add_validations_to_index_links(index_links_dict, site_keys)
        listed = {link["filepath"] for link in index_links_dict.get("validations_links", [])}
        added = False
        for key in site_keys:
            path = pathlib.Path("validations", *key.expectation_suite_identifier.name.split("."),
                                *key.run_id.to_tuple(), key.batch_identifier).as_posix() + ".html"
            if urllib.parse.quote(path) in listed:
                continue
            found = STATE.search(self._page(key) or "")
            if not found:  # not a page gx-clova wrote: GX's rule (not listed without its result)
                continue
            state, warnings = found.group(1), int((found.group(2) or "0").replace(",", ""))
            links = super().add_resource_info_to_index_links_dict(
                index_links_dict=index_links_dict, expectation_suite_name=key.expectation_suite_identifier.name,
                section_name="validations", batch_identifier=key.batch_identifier, run_id=key.run_id,
                validation_success=state != FAILED, run_time=key.run_id.run_time, run_name=key.run_id.run_name)
            links["validations_links"][-1].update(gx_clova_state=state, gx_clova_warnings=warnings)
            added = True
        if added:
            index_links_dict["validations_links"].sort(key=lambda link: str(link["run_time"]), reverse=True)

    def _page(self, key: Any) -> str | None:
        try:
            page = self.target_store.store_backends[ValidationResultIdentifier].get(key.to_tuple())
        except Exception:
            return None
        return page.decode("utf-8", "replace") if isinstance(page, bytes) else page

    def add_resource_info_to_index_links_dict(self, index_links_dict: Any, expectation_suite_name: Any,
                                              section_name: Any, batch_identifier: Any = None, run_id: Any = None,
                                              validation_success: Any = None, **kwargs: Any) -> Any:
        links = super().add_resource_info_to_index_links_dict(
            index_links_dict, expectation_suite_name, section_name, batch_identifier=batch_identifier,
            run_id=run_id, validation_success=validation_success, **kwargs)
        if section_name == "validations" and run_id is not None:
            state, warnings = (PASSED if validation_success else FAILED), 0
            try:
                result = self.data_context.get_validation_result(
                    batch_identifier=batch_identifier, expectation_suite_name=expectation_suite_name,
                    run_id=run_id, validation_results_store_name=self.source_stores.get("validations"))
                state, warnings = state_of(result)
            except Exception:
                pass
            links[f"{section_name}_links"][-1].update(gx_clova_state=state, gx_clova_warnings=warnings)
        return links


class ClovaSiteIndexPageRenderer(SiteIndexPageRenderer):
    @classmethod
    def _generate_validation_results_link_table(cls, index_links_dict: Any) -> Any:
        table = super()._generate_validation_results_link_table(index_links_dict)
        links = index_links_dict.get("validations_links", [])
        for row, link in zip(table.table_data, links, strict=False):
            if "gx_clova_state" in link:
                row["validation_success"] = state_cell(link["gx_clova_state"], link.get("gx_clova_warnings", 0))
                row["_validation_success_text"] = link["gx_clova_state"]
        return table


def state_cell(state: str, warnings: int) -> RenderedStringTemplateContent:
    params, styling = state_param(state, warnings)
    return RenderedStringTemplateContent(
        content_block_type="string_template",
        string_template={
            "template": "$gx_clova_icon $gx_clova_state $gx_clova_warnings",
            "params": params,
            "styling": {"params": styling, "classes": ["ge-index-page-table-validation-links-item"]},
        },
    )
