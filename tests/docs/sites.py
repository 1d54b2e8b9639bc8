"""A dataset whose values attack the page, and Data Docs sites built from it.

Each payload would, if it ran, set ``document.title`` to ``PWNED-…`` and mark ``<body>`` with
``data-pwned``; the markup ones would hide the page or load an image from the network.
"""

from __future__ import annotations

import csv
import os

SCRIPT = '<script>document.title="PWNED-script";document.body.setAttribute("data-pwned","script")</script>'
IMG = "<img src=x onerror=\"document.title='PWNED-img';document.body.setAttribute('data-pwned','img')\">"
SVG = "\"><svg onload=\"document.title='PWNED-svg'\">"
STYLE = "<style>body{display:none}</style>"
BEACON = '<img src="http://198.51.100.7/beacon.png">'
PAYLOADS = (SCRIPT, IMG, SVG, STYLE, BEACON)
#: Visible on the page as text when escaping works.
KOREAN = "결제오류"
#: Names that reach GX's own templates (breadcrumb, overview, index): shown as text, or markup got in.
SUITE_NAME = "mixed <b onmouseover=\"document.title='PWNED-suite'\">suite"
FILE_NAME = "train<img src=x onerror=document.title=1>.csv"
#: What a reader would see instead, had the browser parsed those names as markup.
AS_MARKUP = {SUITE_NAME: "mixed suite", FILE_NAME: "train.csv"}


def write_dataset(path: str, rows: int = 240) -> str:
    """A classification dataset: two Korean labels, payloads in Text, Completion (a label) and C_ID."""
    records = [["C_ID", "T_ID", "Text", "Completion"]]
    for i in range(rows):
        records.append([str(i), "0", f"문의 {i}: 결제가 안 돼요", KOREAN if i % 2 else "환불요청"])
    records[4][3] = SCRIPT          # a label that is a script: class.label-format, class.too-few-rows
    records[6][2] = IMG             # Text
    records[8][2] = SVG + STYLE     # Text
    records[10][3] = ""             # completion.empty, its Text is shown
    records[10][2] = BEACON
    records[12][0] = IMG            # C_ID: c_id.sequence
    records[14][2] = "가" * 8001    # row.too-long
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(records)
    return path


def build_mixed_site(dataset: str, docs_dir: str, site_class: str = "ClovaSiteBuilder",
                     module: str | None = "gx_clova.docs") -> None:
    """gx-clova's classification suite plus built-in expectations that show data values, run by a
    GX checkpoint whose UpdateDataDocsAction writes the site (``site_class``: GX's ``SiteBuilder``
    for the control)."""
    import great_expectations as gx
    import great_expectations.expectations as gxe
    from great_expectations.checkpoint import UpdateDataDocsAction
    from great_expectations.data_context.types.base import ProgressBarsConfig

    from gx_clova.batch import to_pandas
    from gx_clova.gx.suites import expectations_for
    from gx_clova.reading import read_dataset
    from gx_clova.sources import open_source

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    suite = context.suites.add(gx.ExpectationSuite(name=SUITE_NAME))
    for expectation in expectations_for("classification") + [
        gxe.ExpectTableRowCountToBeBetween(min_value=1_000),
        gxe.ExpectColumnValuesToBeInSet(column="Completion", value_set=[KOREAN, "환불요청"]),
        gxe.ExpectColumnDistinctValuesToBeInSet(column="Completion", value_set=[KOREAN, "환불요청"]),
        gxe.ExpectColumnValuesToMatchRegex(column="C_ID", regex=r"^\d+$"),
        gxe.ExpectColumnValueLengthsToBeBetween(column="Text", max_value=100),
    ]:
        suite.add_expectation(expectation)
    site = {"class_name": site_class, "store_backend": {"class_name": "TupleFilesystemStoreBackend",
                                                         "base_directory": os.path.abspath(docs_dir)}}
    if module:
        site["module_name"] = module
    context.add_data_docs_site(site_name="site", site_config=site)
    batch = context.data_sources.add_pandas("pandas").add_dataframe_asset(f"asset {IMG}").add_batch_definition_whole_dataframe("whole")
    definition = context.validation_definitions.add(gx.ValidationDefinition(name=f"definition {SCRIPT}", data=batch, suite=suite))
    checkpoint = context.checkpoints.add(gx.Checkpoint(
        name="mixed", validation_definitions=[definition], result_format="SUMMARY",
        actions=[UpdateDataDocsAction(name="docs", site_names=["site"])],
    ))
    checkpoint.run(batch_parameters={"dataframe": to_pandas(read_dataset(open_source(dataset)))})


def pages(docs_dir: str) -> list[str]:
    found = []
    for folder, _, files in os.walk(docs_dir):
        found += [os.path.join(folder, f) for f in files if f.endswith(".html")]
    return sorted(found)
