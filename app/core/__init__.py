"""Promptpad core: pure Python (httpx, keyring, sqlite); never imports Qt."""
