"""`make sbom`: CycloneDX bills of materials of what ships, the backend and the web build,
each naming the packages at the versions installed and nothing used only to develop."""

from __future__ import annotations

import json
import subprocess
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _components(bom: dict) -> dict[str, str]:
    return {component["name"]: component["version"] for component in bom["components"]}


def test_make_sbom_lists_what_the_backend_and_the_web_build_ship(tmp_path):
    made = subprocess.run(
        ["make", "--no-print-directory", "sbom", f"SBOM_DIR={tmp_path}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert made.returncode == 0, made.stdout + made.stderr

    backend = json.loads((tmp_path / "backend.cdx.json").read_text())
    web = json.loads((tmp_path / "web.cdx.json").read_text())
    lock = json.loads((ROOT / "web" / "package-lock.json").read_text())["packages"]

    assert backend["bomFormat"] == web["bomFormat"] == "CycloneDX"
    assert backend["metadata"]["component"]["name"] == "watchdeck"
    shipped = _components(backend)
    for package in ("litestar", "SQLAlchemy", "asyncpg", "msgspec", "redis", "arq"):
        assert shipped.get(package) == version(package), package
    assert not {"pytest", "hypothesis", "ruff", "schemathesis"} & set(shipped)

    assert web["metadata"]["component"]["name"] == "watchdeck-web"
    bundled = _components(web)
    for package in ("react", "socket.io-client"):
        assert bundled.get(package) == lock[f"node_modules/{package}"]["version"], package
    assert not {"vitest", "typescript", "vite"} & set(bundled)
    assert not (tmp_path / "venv").exists()
