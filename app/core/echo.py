"""The echoed prompt taken off the front of a run's output, per choice.

With ``echo`` on, the server sends the prompt back before the completion. Where the prompt is
already on screen (the playground's editor) showing the echo would write it twice, so each
choice's text is matched against the prompt as it arrives, however the server splits it across
chunks, and only what follows the prompt is passed on. A server that does not echo (or echoes
something else: a different tokenisation round trip) is noticed at the first character that
differs; from there its text is passed on as sent, including what was held back while it still
matched. What is held back at the end of a run is the prompt's own text, already on screen, so
it is not passed on then either.
"""

from __future__ import annotations

from dataclasses import replace

from app.core.events import TokenLogprob


class EchoStrip:
    """Feed each choice's text in order; get back the text that is not the echoed prompt."""

    def __init__(self, prompt: str) -> None:
        self.prompt = prompt
        self._matched: dict[int, int] = {}  # per choice: prompt characters matched so far
        self._done: set[int] = set()  # choices past the prompt (or not echoing it)
        self._cut: dict[int, int] = {}  # per choice: characters taken off its last text

    def text(self, index: int, text: str) -> str:
        """The part of ``text`` (the next text of choice ``index``) that is not the echo."""
        self._cut[index] = 0
        if index in self._done or not self.prompt:
            return text
        matched = self._matched.get(index, 0)
        rest = self.prompt[matched:]
        if text.startswith(rest):  # the end of the echo is here
            self._done.add(index)
            self._cut[index] = len(rest)
            return text[len(rest) :]
        if rest.startswith(text):  # still inside the echo: nothing new yet
            self._matched[index] = matched + len(text)
            self._cut[index] = len(text)
            return ""
        # Not the prompt after all: everything held back goes out with this text.
        self._done.add(index)
        self._cut[index] = -matched
        return self.prompt[:matched] + text

    def tokens(self, index: int, tokens: list[TokenLogprob]) -> list[TokenLogprob]:
        """The tokens of the last ``text(index, …)`` less those of the echoed part (a token that
        straddles the end of the prompt keeps only its new characters)."""
        cut = self._cut.get(index, 0)
        if cut <= 0:
            return tokens
        out: list[TokenLogprob] = []
        for tok in tokens:
            if cut <= 0:
                out.append(tok)
            elif len(tok.token) <= cut:
                cut -= len(tok.token)
            else:
                out.append(replace(tok, token=tok.token[cut:]))
                cut = 0
        return out
