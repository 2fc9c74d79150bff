"""Print Promptpad's version for the build scripts: ``app.__version__``, the one place it lives.

    python packaging/version.py            0.1.0      (as written in app/__init__.py)
    python packaging/version.py --deb      0.1.0      (Debian form: 1.0rc1 -> 1.0~rc1)
    python packaging/version.py --numeric  0.1.0.0    (Windows file-version form)

Reads the file instead of importing ``app``, so it works before anything is installed.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

INIT = Path(__file__).resolve().parent.parent / "app" / "__init__.py"


def app_version(init: Path = INIT) -> str:
    for node in ast.parse(init.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__version__" for t in node.targets
        ):
            value = ast.literal_eval(node.value)
            if isinstance(value, str):
                return value
    raise SystemExit(f"{init}: no __version__ string")


_PEP440 = re.compile(
    r"^v?(?P<release>\d+(?:\.\d+)*)"
    r"(?:[-_.]?(?P<pre>a|alpha|b|beta|rc|c|pre|preview)[-_.]?(?P<pre_n>\d*))?"
    r"(?:[-_.]?(?:post|rev|r)[-_.]?(?P<post>\d*))?"
    r"(?:[-_.]?dev[-_.]?(?P<dev>\d*))?"
    r"(?:\+(?P<local>[a-z0-9.]+))?$"
)


def _parse(version: str) -> re.Match[str]:
    m = _PEP440.match(version.strip().lower())
    if m is None:
        raise SystemExit(f"not a PEP 440 version: {version!r}")
    return m


def deb_version(version: str) -> str:
    """PEP 440 to Debian ordering: pre-releases and dev releases sort before the release."""
    m = _parse(version)
    out = m["release"]
    if m["pre"]:
        out += f"~{m['pre']}{m['pre_n']}"
    if m["post"] is not None:
        out += f".post{m['post']}"
    if m["dev"] is not None:
        out += f"~dev{m['dev']}"
    if m["local"]:
        out += f"+{m['local']}"
    return out


def numeric_version(version: str) -> str:
    """The release part as four numbers (Windows VERSIONINFO, Inno Setup VersionInfoVersion)."""
    nums = [int(n) for n in _parse(version)["release"].split(".")[:4]]
    return ".".join(str(n) for n in nums + [0] * (4 - len(nums)))


def main(argv: list[str]) -> int:
    version = app_version()
    if "--deb" in argv:
        version = deb_version(version)
    elif "--numeric" in argv:
        version = numeric_version(version)
    print(version)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
