"""Promptpad: a desktop playground for OpenAI-compatible text-completion APIs."""

import sys as _sys
import types as _types

__version__ = "0.1.0"

# httpx imports its own command-line client (click and rich, ~60 ms at start-up) whenever those
# happen to be installed; Promptpad never uses it. An empty placeholder makes httpx fall back to
# its stub, exactly as when they are absent (bench/startup.py).
_sys.modules.setdefault("httpx._main", _types.ModuleType("httpx._main"))
