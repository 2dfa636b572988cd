"""Vendor the plotly.js cartesian bundle for the Explore edition's labs (issue 21, item 2).

``python tools/fetch_plotly_js.py`` downloads plotly.js-cartesian-dist-min 4.1.1 from the npm registry
(the plotly.js version the course's Python plotly bundles), checks the tarball against the sha512
integrity the registry publishes (hard-coded here, so a changed file is refused), and extracts
``plotly-cartesian.min.js`` and its ``LICENSE`` into ``.cache/plotly/`` under the repository root.
Nothing goes into git; the site build (``python -m course_lib.site``) copies the two files into the
site folder. Run it again any time: when both files are present and the bundle's checksum matches
the one recorded at extraction, it returns at once without a download.
"""

from __future__ import annotations

import base64
import hashlib
import io
import sys
import tarfile
import urllib.request
from pathlib import Path

VERSION = "4.1.1"
URL = f"https://registry.npmjs.org/plotly.js-cartesian-dist-min/-/plotly.js-cartesian-dist-min-{VERSION}.tgz"
#: ``dist.integrity`` of https://registry.npmjs.org/plotly.js-cartesian-dist-min/4.1.1
INTEGRITY = "sha512-o8GrFeusncwBIxbBynRJpY4pkgVB6caM+JLpwrLYbbsO7dZ8FJ+SVN2Fr+L7kiG/Z6w4P5O0Jus/Qr5EefHVeg=="

REPO_ROOT = Path(__file__).resolve().parents[1]
CACHE = REPO_ROOT / ".cache" / "plotly"
BUNDLE = "plotly-cartesian.min.js"
LICENSE = "LICENSE"
#: what the tarball holds, by the file name written into CACHE
MEMBERS = {BUNDLE: f"package/{BUNDLE}", LICENSE: "package/LICENSE"}
STAMP = ".sha256"  # the extracted bundle's sha256, to tell a complete copy from a half-written one


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def present(cache: Path = CACHE) -> bool:
    """True when the bundle and its licence are in ``cache`` and the bundle is the one extracted."""
    stamp = cache / STAMP
    return all((cache / name).is_file() for name in MEMBERS) and stamp.is_file() \
        and stamp.read_text().strip() == _sha256(cache / BUNDLE)


def verify(data: bytes, integrity: str = INTEGRITY) -> None:
    """Raise ValueError unless ``data`` has the npm ``integrity`` (``sha512-<base64>``)."""
    algorithm, _, expected = integrity.partition("-")
    found = base64.b64encode(hashlib.new(algorithm, data).digest()).decode()
    if found != expected:
        raise ValueError(f"{URL}: integrity mismatch (expected {integrity}, got {algorithm}-{found}); "
                         "refusing to use the download")


def fetch(cache: Path = CACHE, url: str = URL) -> Path:
    """Make sure the bundle is in ``cache``; return the bundle's path."""
    if present(cache):
        return cache / BUNDLE
    with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 - a fixed https URL
        data = response.read()
    verify(data)
    cache.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        for name, member in MEMBERS.items():
            handle = archive.extractfile(member)
            if handle is None:
                raise ValueError(f"{url}: {member} is missing from the tarball")
            partial = cache / (name + ".part")
            partial.write_bytes(handle.read())
            partial.replace(cache / name)
    (cache / STAMP).write_text(_sha256(cache / BUNDLE) + "\n")
    return cache / BUNDLE


def main() -> int:
    try:
        path = fetch()
    except (OSError, ValueError) as error:
        print(f"fetch_plotly_js: {error}", file=sys.stderr)
        return 1
    size = path.stat().st_size / 1e6
    print(f"plotly.js {VERSION} (cartesian bundle) at {path.relative_to(REPO_ROOT)} ({size:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
