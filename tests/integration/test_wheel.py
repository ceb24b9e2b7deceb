"""The package as a user installs it: a wheel built from the project, in a
fresh virtual environment, run from a folder that is not the checkout, under
another time zone, locale, hash seed and wall-clock time. It makes the bytes a
build in the checkout makes: no path of the checkout, the installation or the
working folder, and nothing of the clock or the locale, reaches an artifact.
(One build with everything changed at once: each change alone would cost a
build of every guide.)"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv

import pytest

from exporter.build.registry import EXPORTERS

from ..conftest import ALL_GUIDES
from ..helpers import copy_checkout, snapshot

pytestmark = pytest.mark.slow

# Another zone (whose offset is not whole hours), a locale with its own case rules, a hash seed
# and a clock years ahead of the guides' dates.
OTHER_PLACE_AND_TIME = {"TZ": "America/St_Johns", "LANG": "tr_TR.UTF-8", "LC_ALL": "tr_TR.UTF-8",
                        "PYTHONHASHSEED": "987"}
OTHER_CLOCK = "2031-02-03 04:05:06"
# Every guide but the large generated one, which takes the small fixture's paths many times over.
GUIDES = [source for source in ALL_GUIDES if source.stem != "hive-220"]


def test_an_installed_wheel_builds_the_same_artifacts_anywhere_at_any_time(tmp_path, reference_build):
    if not shutil.which("faketime"):
        pytest.fail("faketime is missing: `make test` installs it (Debian package faketime)")
    # From a copy, so that building leaves nothing in the checkout.
    project = copy_checkout(tmp_path / "project")
    wheels = tmp_path / "wheels"
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(wheels),
                            str(project)], capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr
    (wheel,) = wheels.glob("*.whl")

    # A new environment without pip of its own: the project's pip installs into it
    # (`--python`), the wheel and its dependencies from the package index, as for a
    # user. Not compiled to bytecode at install time: Python does that on import.
    environment = tmp_path / "venv"
    venv.create(environment, with_pip=False)
    python = environment / "bin" / "python"
    installed = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
                                "--no-compile", "--disable-pip-version-check", str(wheel)],
                               capture_output=True, text=True, timeout=600)
    assert installed.returncode == 0, installed.stderr
    shutil.rmtree(project)  # nothing of the checkout is left to lean on

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    guides = []
    (elsewhere / "guides").mkdir()
    for source in GUIDES:
        guides.append(elsewhere / "guides" / source.name)
        for companion in source.parent.glob(f"{source.stem}.*"):  # the source and its release ledger
            shutil.copy(companion, elsewhere / "guides" / companion.name)
        if (source.parent / "figures").is_dir() and not (elsewhere / "guides" / "figures").exists():
            shutil.copytree(source.parent / "figures", elsewhere / "guides" / "figures")  # the guides' figures
    env = {key: value for key, value in os.environ.items() if not key.startswith(("VIRTUAL_ENV", "PYTHON"))}
    env |= OTHER_PLACE_AND_TIME
    result = subprocess.run(["faketime", OTHER_CLOCK, str(environment / "bin" / "studyguide"), "build",
                             *map(str, guides), "--out", "out"],
                            cwd=elsewhere, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    # Every command, not only build: lint is a subpackage of its own.
    linted = subprocess.run([str(environment / "bin" / "studyguide"), "lint", *map(str, guides)],
                            cwd=elsewhere, env=env, capture_output=True, text=True, timeout=600)
    assert linted.returncode == 0, linted.stdout + linted.stderr

    expected = {name for source in GUIDES for exporter in EXPORTERS.values()
                for name in exporter.artifact_names(source.stem)}
    assert expected <= {path.name for path in (elsewhere / "out").iterdir()}
    # The same bytes as a build from the checkout (conftest.py): the wheel holds every template.
    assert reference_build.returncode == 0, reference_build.stderr
    artifacts = {name: digest for name, digest in reference_build.artifacts.items() if name in expected}
    assert len(artifacts) == len(expected)
    assert {name: snapshot(elsewhere / "out")[name] for name in artifacts} == artifacts
