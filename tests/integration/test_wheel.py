"""The package as a user installs it: a wheel built from the project, in a
fresh virtual environment, run from a folder that is not the checkout, under
another time zone, locale, hash seed and wall-clock time. It makes the bytes a
build in the checkout makes: no path of the checkout, the installation or the
working folder, and nothing of the clock or the locale, reaches an artifact.
(One build with everything changed at once: each change alone would cost a
build of every guide.)"""

from __future__ import annotations

import ast
import email
import importlib.metadata
import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from exporter.build.registry import EXPORTERS

from ..conftest import ALL_GUIDES
from ..helpers import copy_checkout, snapshot

pytestmark = pytest.mark.slow

# Another zone (whose offset is not whole hours), a locale with its own case rules, a hash seed
# and a clock years ahead of the guides' dates.
OTHER_PLACE_AND_TIME = {"TZ": "America/St_Johns", "LANG": "tr_TR.UTF-8", "LC_ALL": "tr_TR.UTF-8",
                        "PYTHONHASHSEED": "987"}
OTHER_CLOCK = "2031-02-03 04:05:06"
# A guide of each kind: the shipped one, figures, Japanese, Korean, German and Arabic (the large
# generated one and the small English fixture take the same paths as the shipped one).
GUIDES = [source for source in ALL_GUIDES if source.stem not in ("hive-220", "orch-110")]


def imported_distributions(wheel: Path) -> set[str]:
    """The distributions whose modules the wheel's code imports (the standard library's and its own aside)."""
    modules = set()
    with zipfile.ZipFile(wheel) as archive:
        for name in archive.namelist():
            if name.endswith(".py"):
                for node in ast.walk(ast.parse(archive.read(name))):
                    if isinstance(node, ast.Import):
                        modules |= {alias.name.partition(".")[0] for alias in node.names}
                    elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                        modules.add(node.module.partition(".")[0])
    owners = importlib.metadata.packages_distributions()
    return {canonicalize_name(owner) for module in modules - set(sys.stdlib_module_names) - {"exporter"}
            for owner in owners.get(module, [module])}


def required_distributions(wheel: Path) -> set[str]:
    """The distributions the wheel requires, its optional extras aside."""
    with zipfile.ZipFile(wheel) as archive:
        (metadata,) = [name for name in archive.namelist() if name.endswith(".dist-info/METADATA")]
        message = email.message_from_bytes(archive.read(metadata))
    requirements = [Requirement(line) for line in message.get_all("Requires-Dist") or []]
    return {canonicalize_name(r.name) for r in requirements if r.marker is None or "extra" not in str(r.marker)}


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

    # The wheel declares every package its code imports: what pip installs with it.
    assert imported_distributions(wheel) - required_distributions(wheel) == set()
    # A new environment without pip of its own: the project's pip installs the wheel into it
    # (`--python`). Its dependencies, declared above, are this environment's (the same versions
    # pip would choose), seen through a .pth file: installing them again would cost a third of
    # the test. Not compiled to bytecode at install time: Python does that on import.
    environment = tmp_path / "venv"
    venv.create(environment, with_pip=False)
    python = environment / "bin" / "python"
    installed = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
                                "--no-deps", "--no-compile", "--disable-pip-version-check", str(wheel)],
                               capture_output=True, text=True, timeout=600)
    assert installed.returncode == 0, installed.stderr
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                          capture_output=True, text=True, check=True).stdout.strip()
    # Appended after the new environment's own folder: the wheel's copy of the package comes first
    # (this environment's editable install is a .pth of its own, which a .pth line does not run).
    Path(site, "dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
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

    # The wheel's package, not the checkout's.
    where = subprocess.run([str(python), "-c", "import exporter; print(exporter.__file__)"], capture_output=True,
                           text=True, env=env, cwd=elsewhere, check=True).stdout
    assert where.startswith(str(environment)), where
    expected = {name for source in GUIDES for exporter in EXPORTERS.values()
                for name in exporter.artifact_names(source.stem)}
    assert expected <= {path.name for path in (elsewhere / "out").iterdir()}
    # The same bytes as a build from the checkout (conftest.py): the wheel holds every template.
    assert reference_build.returncode == 0, reference_build.stderr
    artifacts = {name: digest for name, digest in reference_build.artifacts.items() if name in expected}
    assert len(artifacts) == len(expected)
    assert {name: snapshot(elsewhere / "out")[name] for name in artifacts} == artifacts
