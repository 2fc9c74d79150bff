"""Entry script of the frozen bundle: the same as ``python -m app`` / the ``promptpad`` script.

One extra, for the build scripts and CI: ``promptpad --bundle-info`` prints, as JSON, what the
bundle found at run time (resources, Qt's plugin and translation folders, the keyring backends
discovered through entry points) and exits 1 if a part the app relies on is missing. With
``--keyring-roundtrip`` it also stores, reads back and deletes a throw-away secret in the chosen
keyring (proves the frozen backend and its crypto work; needs an unlocked keyring).
"""

from __future__ import annotations

import sys


def bundle_info(roundtrip: bool = False) -> int:
    import json
    from importlib import metadata
    from pathlib import Path

    from app import __version__

    base = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parent.parent))
    resources = base / "resources"

    import keyring
    import keyring.backend
    from PySide6.QtCore import QLibraryInfo, qVersion

    # keyring finds its backends through entry points: empty here means metadata was not bundled.
    entry_points = sorted(ep.name for ep in metadata.entry_points(group="keyring.backends"))
    viable = [
        f"{type(k).__module__}.{type(k).__name__} ({k.priority})"
        for k in keyring.backend.get_all_keyring()
    ]
    chosen = keyring.get_keyring()
    lib = QLibraryInfo.LibraryPath
    plugins = Path(QLibraryInfo.path(lib.PluginsPath))
    translations = Path(QLibraryInfo.path(lib.TranslationsPath))
    info = {
        "version": __version__,
        "frozen": bool(getattr(sys, "frozen", False)),
        "base": str(base),
        "resources": sorted(p.relative_to(resources).as_posix() for p in resources.rglob("*")),
        "qt": qVersion(),
        "qt_plugins": sorted(p.relative_to(plugins).as_posix() for p in plugins.rglob("*.*")),
        "qt_translations": sorted(p.name for p in translations.glob("*.qm")),
        "keyring_entry_points": entry_points,
        "keyring_viable": viable,
        "keyring_chosen": f"{type(chosen).__module__}.{type(chosen).__name__}",
    }
    missing = []
    if roundtrip:
        service, user, secret = "promptpad-bundle-check", "check", "s3cr3t-\u4e2d\u6587"
        keyring.set_password(service, user, secret)
        ok = keyring.get_password(service, user) == secret
        keyring.delete_password(service, user)
        info["keyring_roundtrip"] = "ok" if ok else "FAILED"
        if not ok:
            missing.append("a working keyring round trip")
    print(json.dumps(info, indent=2))
    if not (resources / "icons" / "promptpad.png").is_file():
        missing.append("resources/icons/promptpad.png")
    if not entry_points:
        missing.append("keyring entry points (keyring's dist-info metadata)")
    if not any(p.startswith("platforms/") for p in info["qt_plugins"]):
        missing.append("Qt platform plugins")
    if missing:
        print("bundle-info: MISSING " + "; ".join(missing), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--bundle-info"]:
        raise SystemExit(bundle_info(roundtrip="--keyring-roundtrip" in sys.argv[2:]))

    from app.__main__ import main

    raise SystemExit(main())
