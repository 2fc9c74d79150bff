"""Test connection for the provider manager: whether the model list can be read, and whether a
one-token completion with the default model works, reported apart (a chat-only model lists fine
and then fails on Run).

The key is resolved on the keyring lane (app/ui/keys.py) when the form has none; results for a
profile the dialog no longer shows are dropped, except the model list, which is stored with its
profile all the same.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from app.core.params import CompletionRequest
from app.ui import ops
from app.ui.controllers import ModelsController, RunController
from app.ui.dialogs.provider_form import say
from app.ui.keys import LANE as KEYRING_LANE
from app.ui.messages import error_detail

if TYPE_CHECKING:
    import httpx
    from PySide6.QtWidgets import QLabel

    from app.core.client import RunDone
    from app.core.endpoint import Endpoint
    from app.core.errors import CompletionError
    from app.core.provider_store import ProviderStore
    from app.core.providers import Provider

TEST_PROMPT = "Hello"  # the one-token completion of Test connection


class ConnectionTest(QObject):
    """One Test connection at a time, its two results shown in the labels it is given.

    Signals:
        busyChanged(): a part of the test started or ended (Test connection is off meanwhile).
        modelsStored(): the tested profile's model list was stored with it.
    """

    busyChanged = Signal()
    modelsStored = Signal()

    def __init__(
        self,
        store: ProviderStore,
        http: httpx.AsyncClient,
        test_result: QLabel,
        completion_result: QLabel,
        shown: Callable[[], str | None],
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.test_result = test_result
        self.completion_result = completion_result
        self._shown = shown  # the name of the profile the dialog shows now
        self._testing: set[str] = set()  # "models", "completion": parts of a test under way
        self._test_name = ""
        self._test_model = ""
        self.tester = ModelsController(http, self)
        self.tester.loaded.connect(self._on_test_loaded)
        self.tester.failed.connect(self._on_test_failed)
        self.completion_tester = RunController(http, self)
        self.completion_tester.finished.connect(self._on_completion_finished)
        self.completion_tester.failed.connect(self._on_completion_failed)
        self.completion_tester.stopped.connect(lambda: self._end_test("completion"))

    @property
    def busy(self) -> bool:
        """A test is under way."""
        return bool(self._testing)

    def start(self, p: Provider, name: str, key: str, password: str | None) -> None:
        """List the models and, with a default model set, try a one-token completion with it:
        two results, shown apart (a model may list fine and still refuse completions)."""
        store = self.store
        self._test_name = name
        self._test_model = p.default_model
        self._testing = {"models", "completion"} if p.default_model else {"models"}
        self.busyChanged.emit()
        # Without a key in the field, the profile's variable or the keyring is asked: off the
        # GUI thread.
        ops.run_in_background(
            lambda: p.endpoint(key or store.resolve_key(p), password),
            self._on_test_endpoint_ready,
            self._on_test_endpoint_failed,
            lane=KEYRING_LANE,
            parent=self,
        )

    def _on_test_endpoint_ready(self, endpoint: Endpoint) -> None:
        self._test_url = endpoint.url("models")
        say(self.test_result, self.tr("Testing… GET %1").replace("%1", self._test_url), "muted")
        model = self._test_model
        if not model:
            say(
                self.completion_result,
                self.tr("Enter a default model to also try a one-token completion."),
                "muted",
            )
        else:
            self._completion_url = endpoint.completions()
            say(
                self.completion_result,
                self.tr("Trying a one-token completion with %1… POST %2")
                .replace("%1", model)
                .replace("%2", self._completion_url),
                "muted",
            )
            request = CompletionRequest(model=model, prompt=TEST_PROMPT, max_tokens=1)
            self.completion_tester.start(endpoint, request)
        self.tester.refresh(endpoint)

    def _on_test_endpoint_failed(self, exc: Exception) -> None:
        self._testing.clear()
        self.busyChanged.emit()
        say(self.test_result, "✗ " + ops.describe(exc), "error")
        say(self.completion_result, "")

    def _end_test(self, part: str) -> bool:
        """Mark ``part`` of the test done; False if the dialog shows another profile now."""
        self._testing.discard(part)
        self.busyChanged.emit()
        return self._test_name == (self._shown() or "")

    def _on_test_loaded(self, ids: list[str]) -> None:
        if self._test_name and self.store.get(self._test_name) is not None:
            self.store.set_models(self._test_name, ids)
            self.modelsStored.emit()
        if not self._end_test("models"):
            return
        text = self.tr("✓ Connected: %n model(s) available.", "", len(ids))
        model = self._test_model
        if model and ids and model not in ids:
            text += "\n" + self.tr("The default model %1 is not in this list.").replace("%1", model)
        say(self.test_result, text)

    def _on_test_failed(self, error: CompletionError) -> None:
        if not self._end_test("models"):
            return
        url = error.url or getattr(self, "_test_url", "")
        say(self.test_result, "✗ " + error_detail(error) + "\n" + self.tr("URL: ") + url, "error")

    def _on_completion_finished(self, done: RunDone) -> None:
        if not self._end_test("completion"):
            return
        say(
            self.completion_result,
            self.tr("✓ %1 answered a one-token completion.").replace("%1", self._test_model),
        )

    def _on_completion_failed(self, error: CompletionError) -> None:
        if not self._end_test("completion"):
            return
        url = error.url or getattr(self, "_completion_url", "")
        say(
            self.completion_result,
            "✗ " + error_detail(error) + "\n" + self.tr("URL: ") + url,
            "error",
        )
