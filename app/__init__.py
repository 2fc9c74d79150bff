"""Promptpad: a desktop playground for OpenAI-compatible text-completion APIs."""

__version__ = "0.1.0"
