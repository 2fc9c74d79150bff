"""Entry script of the frozen bundle: the same as ``python -m app`` / the ``promptpad`` script."""

from app.__main__ import main

raise SystemExit(main())
