"""Vendor the map assets from the npm registry: `python -m maps.vendor` (needs npm).

Downloads each pinned package with `npm pack`, copies the files the maps use and the licence into
gi_registry/web/static/vendor/<name>-<version>/, and writes MANIFEST.json with sha256 sums.
"""

import hashlib
import json
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

from maps.assets import PACKAGES, VENDOR_DIR


def vendor() -> dict:
    """Refresh vendor/ from npm and return the manifest written."""
    manifest: dict = {"source": "npm registry (npm pack)", "packages": []}
    with tempfile.TemporaryDirectory() as tmp:
        for package in PACKAGES:
            spec = f"{package.name}@{package.version}"
            output = subprocess.run(
                ["npm", "pack", spec, "--json"], cwd=tmp, check=True, capture_output=True, text=True
            ).stdout
            info = json.loads(output)[0]
            target = VENDOR_DIR / package.folder
            shutil.rmtree(target, ignore_errors=True)
            with tarfile.open(Path(tmp) / info["filename"]) as archive:
                files = {}
                for name in (*package.files, package.licence_file):
                    member = archive.getmember(f"package/{name}")
                    data = archive.extractfile(member).read()
                    (target / name).parent.mkdir(parents=True, exist_ok=True)
                    (target / name).write_bytes(data)
                    files[name] = hashlib.sha256(data).hexdigest()
            manifest["packages"].append(
                {
                    "name": package.name,
                    "version": package.version,
                    "licence": package.licence,
                    "licence_file": package.licence_file,
                    "npm_integrity": info.get("integrity"),
                    "files": files,
                }
            )
    (VENDOR_DIR / "MANIFEST.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


if __name__ == "__main__":
    vendor()
