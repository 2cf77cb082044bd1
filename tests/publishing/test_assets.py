"""The vendored map assets are all present, unchanged, and licensed."""

import hashlib
import json

from maps.assets import PACKAGES, VENDOR_DIR, map_scripts, map_stylesheets


def test_every_vendored_file_matches_its_manifest() -> None:
    manifest = json.loads((VENDOR_DIR / "MANIFEST.json").read_text(encoding="utf-8"))
    assert {p["name"] for p in manifest["packages"]} == {p.name for p in PACKAGES}
    for package in manifest["packages"]:
        folder = VENDOR_DIR / f"{package['name']}-{package['version']}"
        assert package["licence_file"] in package["files"]
        for name, digest in package["files"].items():
            assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest, name


def test_every_asset_a_map_links_exists() -> None:
    for _name, url in map_scripts("") + map_stylesheets(""):
        assert (VENDOR_DIR / url.lstrip("/")).is_file(), url
