"""A Data Docs site is never damaged by a later run, and every link in it resolves.

Runs of both tasks, two files each, go into one site through `validate`, `gate` and a GX
checkpoint (`gx-clova checkpoint` on a project whose site is the same folder). Afterwards every
page written on the way is still there, the index lists every run with its state, and every
``href``/``src`` of every page resolves to a file of the site (and a ``#fragment`` to an id);
only an ``href`` may point out of the site (GX's logo links to its website), never a ``src``.
"""

from __future__ import annotations

import csv
import os
import re
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from verdict_data import make_datasets, scratch_project

from gx_clova.cli import main

LABELS = ("배송문의", "환불요청")


def classification(path, offset: int) -> str:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["C_ID", "T_ID", "Text", "Completion"])
        for i in range(400):
            writer.writerow([str(i), "0", f"{offset + i}번 주문 문의입니다", LABELS[i % 2]])
    return str(path)


class Links(HTMLParser):
    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        self.ids: set[str] = set()
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        for name in ("href", "src"):
            if attrs.get(name):
                self.links.append((name, attrs[name]))


def pages(site: str) -> list[str]:
    return sorted(os.path.relpath(os.path.join(d, f), site) for d, _, fs in os.walk(site) for f in fs
                  if f.endswith(".html") and ".gx-clova-results" not in d)


def broken_links(site: str) -> list[str]:
    broken = []
    parsed = {}
    for page in pages(site):
        with open(os.path.join(site, page), encoding="utf-8") as handle:
            parsed[page] = Links(handle.read())
    for page, found in parsed.items():
        for kind, link in found.links:
            parts = urlsplit(link)
            if parts.scheme in ("http", "https") and kind == "href":
                continue  # a link out (GX's logo links to its website): not part of the site, not loaded
            if parts.scheme or parts.netloc:
                broken.append(f"{page}: {kind}={link} loads from outside the site")
                continue
            target = os.path.normpath(os.path.join(os.path.dirname(page), unquote(parts.path))) if parts.path else page
            if not os.path.isfile(os.path.join(site, target)):
                broken.append(f"{page}: {link} -> {target} does not exist")
            elif parts.fragment and target in parsed and unquote(parts.fragment) not in parsed[target].ids:
                broken.append(f"{page}: {link} -> no id {parts.fragment!r} in {target}")
    return broken


@pytest.fixture(scope="module")
def shared_site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("shared-site")
    site = str(folder / "site")
    generation = make_datasets(folder)
    files = {
        "generation": [generation["warnings"], generation["failing"]],
        "classification": [classification(folder / "labels-a.csv", 0), classification(folder / "labels-b.csv", 1000)],
    }
    history = []
    # validate: one file of each task
    assert main(["validate", files["generation"][0], "--docs", site]) == 0
    history.append(pages(site))
    assert main(["validate", files["classification"][0], "--task", "classification", "--docs", site]) == 0
    history.append(pages(site))
    # gate: the other file of each task
    assert main(["gate", files["generation"][1], "--docs", site]) == 1
    history.append(pages(site))
    assert main(["gate", files["classification"][1], "--task", "classification", "--docs", site]) == 0
    history.append(pages(site))
    # a GX checkpoint of a project whose site is this folder
    project = scratch_project(folder)
    config_path = os.path.join(project, "great_expectations.yml")
    with open(config_path, encoding="utf-8") as handle:
        config = yaml.safe_load(handle)
    config["data_docs_sites"]["local_site"]["store_backend"]["base_directory"] = site
    with open(config_path, "w", encoding="utf-8") as handle:
        yaml.safe_dump(config, handle, allow_unicode=True)
    assert main(["checkpoint", "clova_classification_local", files["classification"][0], "--project", project]) == 0
    history.append(pages(site))
    return site, history


def test_no_run_removes_a_page_of_an_earlier_one(shared_site):
    site, history = shared_site
    for before, after in zip(history, history[1:], strict=False):
        assert set(before) <= set(after), f"lost: {sorted(set(before) - set(after))}"
    final = history[-1]
    assert {"expectations/clova_generation.html", "expectations/clova_classification.html", "index.html"} <= set(final)
    assert sum(p.startswith("validations/") for p in final) == 5


def test_every_link_of_every_page_resolves(shared_site):
    site, _ = shared_site
    assert broken_links(site) == []


def test_the_index_lists_every_run_in_its_state(shared_site):
    site, _ = shared_site
    with open(os.path.join(site, "index.html"), encoding="utf-8") as handle:
        index = handle.read()
    states = re.findall(r'data-gx-clova-verdict="([a-z]+)"', index)
    # validate/gate of the classification files (2) and the checkpoint's run pass with warnings
    # (400 rows: under the recommended 1,000); the generation files: one with warnings, one failed.
    assert sorted(states) == ["failed", "warnings", "warnings", "warnings", "warnings"]
    for suite in ("clova_generation", "clova_classification"):
        assert f"expectations/{suite}.html" in index
