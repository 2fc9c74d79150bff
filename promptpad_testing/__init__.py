"""Promptpad's private testing package: not part of the product (``app``), never imported by it
except by ``promptpad --self-test``, which the packaged bundle runs to prove it works.

``promptpad_testing.server`` is an OpenAI-compatible loopback server that can be told to
misbehave (tests, benches, the screenshot script, the build scripts' smoke test).
"""
