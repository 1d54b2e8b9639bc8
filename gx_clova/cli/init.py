"""``gx-clova init [DIR]``: gx-clova's suites and checkpoints in a user's GX project, new or existing.

- ``DIR/great_expectations.yml`` or ``DIR/gx/great_expectations.yml`` exists: that project is
  adopted. Otherwise a new one is created in ``DIR/gx`` the way Great Expectations creates it
  (``gx.get_context(mode="file", project_root_dir=DIR)``).
- Adopting edits ``great_expectations.yml`` in place and only adds (GX itself rewrites the file,
  without its comments, when the datasource is added):
  ``clova_expectations_store`` (gx-clova's guarded store over the *same* backend as the current
  expectations store, so the user's suites stay where they are and load as before) becomes
  ``expectations_store_name``; a Data Docs site ``gx_clova_site`` (``ClovaSiteBuilder``). The
  user's own stores, suites, checkpoints and sites are untouched.
- Then the suites are written into the expectations store's folder, and the datasource
  ``gx_clova`` (pandas) with asset ``dataset``, a validation definition per suite and the
  checkpoints ``clova_<task>_local`` / ``clova_<task>_object_storage`` (updating
  ``gx_clova_site``) are added or refreshed. Running init again changes nothing else.

Exit status: 0 done; 2 ``DIR`` is a file, the config cannot be read, its expectations store is
not on the filesystem (gx-clova writes suites as files), or its datasource ``gx_clova`` is not
a pandas one.
"""

from __future__ import annotations

import argparse
import copy
import io
import os
from dataclasses import dataclass, field
from typing import Any

from gx_clova import spec
from gx_clova.cli.exits import EXIT_PASSED
from gx_clova.errors import UsageError

STORE = "clova_expectations_store"
DATASOURCE = "gx_clova"
SITE = "gx_clova_site"
STORE_CONFIG = {"class_name": "ClovaExpectationsStore", "module_name": "gx_clova.project"}
SITE_CONFIG = {
    "class_name": "ClovaSiteBuilder",
    "module_name": "gx_clova.docs",
    "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": f"uncommitted/data_docs/{SITE}/"},
}


@dataclass
class InitResult:
    root: str
    created: bool
    checkpoints: list[str]
    suites: list[str]
    changes: list[str] = field(default_factory=list)


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "init",
        help="add gx-clova's suites, checkpoints and Data Docs site to a GX project (new or existing)",
        description="Write gx-clova's expectation suites, a pandas datasource, validation definitions, "
        "checkpoints and a safe offline Data Docs site into the GX project in DIR (DIR or DIR/gx); "
        "create one in DIR/gx if there is none. Existing stores, suites and checkpoints are kept.",
    )
    p.add_argument("directory", metavar="DIR", nargs="?", default=".", help="default: the current directory")
    p.add_argument("--task", choices=("all", *spec.TASKS), default="all", help="suites to add (default: all)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    tasks = spec.TASKS if args.task == "all" else (args.task,)
    result = init(args.directory, tasks)
    where = os.path.relpath(result.root)
    print(f"gx-clova init: {'created' if result.created else 'updated'} the GX project in {where}")
    for change in result.changes:
        print(f"  {change}")
    print(f"  suites: {', '.join(result.suites)}")
    print(f"  checkpoints: {', '.join(result.checkpoints)}")
    example = next((c for c in result.checkpoints if c.endswith("_local")), result.checkpoints[0])
    print("next:")
    print(f"  gx-clova checkpoint {example} path/to/train.csv --project {where}")
    print(f"  Data Docs: {os.path.join(where, SITE_CONFIG['store_backend']['base_directory'], 'index.html')}")
    return EXIT_PASSED


def init(directory: str, tasks: tuple[str, ...] = spec.TASKS) -> InitResult:
    from gx_clova.gx.project import find_root, new_project, scaffold

    if os.path.exists(directory) and not os.path.isdir(directory):
        raise UsageError(f"{directory} is not a directory")
    os.makedirs(directory, exist_ok=True)
    root = find_root(directory)
    created = root is None
    if created:
        root = new_project(directory)
    changes, suites_dir = adopt(root)
    checkpoints = scaffold(root, tasks=tasks, suites_dir=suites_dir, site_names=[SITE])
    from gx_clova.gx.suites import SUITE_NAMES

    return InitResult(root, created, checkpoints, [SUITE_NAMES[t] for t in tasks], changes)


def adopt(root: str) -> tuple[list[str], str]:
    """Point ``great_expectations.yml`` at gx-clova's store and site; returns what changed and the
    folder the expectations store reads suites from."""
    from ruamel.yaml import YAML

    path = os.path.join(root, "great_expectations.yml")
    yaml = YAML()  # round trip: the user's comments and order stay
    yaml.preserve_quotes = True
    try:
        with open(path, encoding="utf-8") as handle:
            config = yaml.load(handle)
    except Exception as exc:  # any parse error is the user's file, reported as such
        raise UsageError(f"cannot read {path}: {exc}") from None
    if not isinstance(config, dict) or not isinstance(config.get("stores"), dict):
        raise UsageError(f"{path} has no 'stores' section; is it a Great Expectations 1.x config?")
    stores = config["stores"]
    current = config.get("expectations_store_name") or "expectations_store"
    if current not in stores:
        raise UsageError(f"{path}: expectations_store_name {current!r} names no store")
    backend = stores[current].get("store_backend") or {}
    if backend.get("class_name", "TupleFilesystemStoreBackend") != "TupleFilesystemStoreBackend":
        raise UsageError(f"{path}: the expectations store {current!r} is not on the filesystem "
                         f"({backend.get('class_name')}); gx-clova init writes suites as files")
    existing = (config.get("fluent_datasources") or {}).get(DATASOURCE) or {}
    if existing and existing.get("type") != "pandas":
        raise UsageError(f"{path}: a datasource named {DATASOURCE!r} exists and is not a pandas datasource "
                         f"({existing.get('type')}); gx-clova's checkpoints need that name")
    changes = []
    if stores[current].get("class_name") != STORE_CONFIG["class_name"]:
        stores[STORE] = {**STORE_CONFIG, "store_backend": copy.deepcopy(backend)}
        config["expectations_store_name"] = STORE
        changes.append(f"expectations store: {STORE} (gx-clova's guard) over {current}'s folder; {current} kept")
    sites = config.get("data_docs_sites")
    if not isinstance(sites, dict):
        config["data_docs_sites"] = sites = {}
    if SITE not in sites:
        sites[SITE] = copy.deepcopy(SITE_CONFIG)
        changes.append(f"Data Docs site: {SITE} (escaped, script-free, offline)")
    if changes:
        buffer = io.StringIO()
        yaml.dump(config, buffer)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(buffer.getvalue())
    base = backend.get("base_directory") or "expectations/"
    return changes, base if os.path.isabs(base) else os.path.join(root, base)
