"""Entry point: ``promptpad`` / ``python -m app``.

With a sub-command (complete, models, providers) it is the headless CLI and never imports Qt.
Without one it opens the window (see ``app.ui.app``), which builds the one QApplication, the
qasync loop, the one httpx.AsyncClient and the one KeyStore, and passes them down.
"""

from __future__ import annotations

import sys

CLI_COMMANDS = {"complete", "models", "providers", "--version", "-h", "--help"}


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args and args[0] in CLI_COMMANDS:
        from app.cli import main as cli_main

        return cli_main(args)
    from app.ui.app import run_gui

    return run_gui(args)


if __name__ == "__main__":
    raise SystemExit(main())
