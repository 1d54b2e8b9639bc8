"""gx-clova as a user installs it: build the wheel from the source tree, install it into a fresh
virtual environment, and run the console script from there.

Offline: pip may only use .venv/wheelhouse (wheels of the dependencies and of the build backend,
built by scripts/test-deps). The source is copied to a temporary directory first, so building
leaves no ``build/`` or ``*.egg-info`` in the working tree.
"""

from __future__ import annotations

import email
import os
import shutil
import subprocess
import sys
import zipfile

import pytest

import gx_clova

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WHEELHOUSE = os.path.join(ROOT, ".venv", "wheelhouse")
#: What `pip install .` reads from the repository.
SOURCE = ("pyproject.toml", "README.md", "LICENSE", "gx_clova")

pytestmark = pytest.mark.slow


def offline_env() -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "VIRTUAL_ENV", "PYTHON"))}
    environment.update(PIP_NO_INDEX="1", PIP_FIND_LINKS=WHEELHOUSE, PIP_DISABLE_PIP_VERSION_CHECK="1",
                       PIP_CONFIG_FILE=os.devnull)
    return environment


def run(*args: str, cwd: str) -> subprocess.CompletedProcess:
    done = subprocess.run(args, cwd=cwd, env=offline_env(), capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, f"{' '.join(args)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> str:
    if not os.path.isfile(os.path.join(WHEELHOUSE, ".built")):
        pytest.fail(f"{WHEELHOUSE} is missing: run scripts/test (scripts/test-deps builds it)")
    source = tmp_path_factory.mktemp("source")
    for name in SOURCE:
        path = os.path.join(ROOT, name)
        if os.path.isdir(path):
            shutil.copytree(path, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(path, source / name)
    out = tmp_path_factory.mktemp("dist")
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--wheel-dir", str(out), str(source), cwd=str(source))
    (built,) = [str(out / name) for name in os.listdir(out) if name.endswith(".whl")]
    return built


def test_wheel_name_carries_the_one_version(wheel):
    assert os.path.basename(wheel) == f"gx_clova-{gx_clova.__version__}-py3-none-any.whl"


def test_wheel_ships_the_type_marker_the_data_files_and_the_licence(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    assert "gx_clova/py.typed" in names
    assert "gx_clova/data/spark-log4j2.properties" in names
    for name in ("gx-clova.css", "bootstrap.min.css", "bootstrap.LICENSE", "templates/gx_clova_summary.j2"):
        assert f"gx_clova/data/docs/{name}" in names
    dist_info = f"gx_clova-{gx_clova.__version__}.dist-info"
    assert f"{dist_info}/licenses/LICENSE" in names
    assert not [n for n in names if n.startswith("tests/") or "__pycache__" in n]


def test_wheel_metadata_declares_the_licence_as_spdx_and_the_classifiers(wheel):
    with zipfile.ZipFile(wheel) as archive:
        (metadata_name,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        metadata = email.message_from_bytes(archive.read(metadata_name))
        entry_points = archive.read(metadata_name.replace("METADATA", "entry_points.txt")).decode()
    assert metadata["Version"] == gx_clova.__version__
    assert metadata["License-Expression"] == "Apache-2.0"
    assert metadata["License-File"] == "LICENSE"
    assert metadata["License"] is None  # the deprecated free-text field is gone
    classifiers = metadata.get_all("Classifier")
    assert "Typing :: Typed" in classifiers
    assert not [c for c in classifiers if c.startswith("License ::")]  # superseded by License-Expression
    assert "gx-clova = gx_clova.cli:main" in entry_points


def test_installed_into_a_fresh_venv_the_console_script_runs(wheel, tmp_path):
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", str(venv), cwd=str(tmp_path))
    python, script = str(venv / "bin" / "python"), str(venv / "bin" / "gx-clova")
    run(python, "-m", "pip", "install", "--quiet", wheel, cwd=str(tmp_path))

    version = run(script, "--version", cwd=str(tmp_path))
    assert version.stdout.strip() == f"gx-clova {gx_clova.__version__}"

    # The installed copy, not this working tree, answers; its type marker and data files are there.
    probe = run(python, "-c", (
        "import importlib.metadata as m, importlib.resources as r, gx_clova; "
        "print(gx_clova.__file__); print(m.version('gx-clova')); "
        "print(r.files('gx_clova').joinpath('py.typed').is_file()); "
        "print(r.files('gx_clova').joinpath('data/docs/gx-clova.css').is_file())"
    ), cwd=str(tmp_path))
    location, installed_version, typed, css = probe.stdout.split()
    assert location.startswith(str(venv)), location
    assert (installed_version, typed, css) == (gx_clova.__version__, "True", "True")

    # And it does its job: a good example passes, the broken one fails with exit status 1.
    good = subprocess.run([script, "validate", os.path.join(ROOT, "examples", "generation.csv")],
                          cwd=str(tmp_path), env=offline_env(), capture_output=True, text=True, timeout=600)
    assert good.returncode == 0, good.stdout + good.stderr
    bad = subprocess.run([script, "validate", os.path.join(ROOT, "examples", "broken.csv")],
                         cwd=str(tmp_path), env=offline_env(), capture_output=True, text=True, timeout=600)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "Traceback" not in bad.stderr
