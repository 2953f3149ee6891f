"""A built wheel carries the package data (schemas, templates, config declarations)."""
from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "ckanext" / "kalmar_oppnadata"
DATA_SUFFIXES = {".yaml", ".yml", ".json", ".ttl", ".html", ".po", ".csv", ".js", ".css"}


def test_wheel_contains_all_package_data(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(tmp_path), str(ROOT)],
        check=True, capture_output=True,
    )
    wheel = next(tmp_path.glob("ckanext_kalmar_oppnadata-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        str(f.relative_to(ROOT))
        for f in PACKAGE.rglob("*")
        if f.is_file() and f.suffix in DATA_SUFFIXES and "__pycache__" not in f.parts
    }
    assert "ckanext/kalmar_oppnadata/schemas/dataset.yaml" in expected
    assert "ckanext/kalmar_oppnadata/config_declaration.yaml" in expected
    missing = expected - names
    assert not missing, f"package data missing from the wheel: {sorted(missing)}"
    assert "ckanext/kalmar_oppnadata/plugin.py" in names
