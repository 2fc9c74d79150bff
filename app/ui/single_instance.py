"""One window per home: a second launch on the same PROMPTPAD_HOME raises the first and exits 0.

Why one instance rather than merge-on-save: the draft is the window's live editor content, and
two editors on one draft.json cannot be merged, only made to take turns overwriting each other
every half second; settings and geometry are the same "last one wins" state. A second window on
one home has nothing to offer that the first does not, so the second launch hands over to the
first (as browsers and editors do) and the files keep a single writer. providers.json is the one
file something else may write while a window is open (another tool, a future CLI command, a
Promptpad on another machine sharing the home): ProviderStore merges with it on save.

How: a QLockFile in the home says who owns it (a crashed owner's lock is detected as stale by
its PID); the owner listens on a QLocalSocket named after the home (user-only access), and a
later launch that cannot take the lock asks it to raise its window.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger("promptpad")

LOCK_NAME = "instance.lock"
ASK_TIMEOUT_S = 10.0  # a first instance still starting up gets this long to answer


def server_name(home: Path) -> str:
    """The local socket's name for ``home``: per user and per resolved home directory."""
    try:
        key = str(home.resolve())
    except OSError:
        key = str(home.absolute())
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:20]
    user = os.getuid() if hasattr(os, "getuid") else os.environ.get("USERNAME", "")
    return f"promptpad-{user}-{digest}"


class SingleInstance(QObject):
    """This process's claim on a home.

    Signals:
        raiseRequested(): a second launch on the same home asked for the window
    """

    raiseRequested = Signal()

    def __init__(self, home: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.home = home
        self.name = server_name(home)
        self._lock = QLockFile(str(home / LOCK_NAME))
        self._lock.setStaleLockTime(0)  # held for the whole session: stale only if its PID died
        self._server: QLocalServer | None = None
        self._clients: list[QLocalSocket] = []

    def claim(self) -> bool:
        """True: this process owns the home (open the window). False: another instance does and
        was asked to raise its window (exit 0). Raises RuntimeError if the owner never answers."""
        deadline = time.monotonic() + ASK_TIMEOUT_S
        while True:
            if self._lock.tryLock(0):
                self._listen()
                return True
            if self._lock.error() != QLockFile.LockError.LockFailedError:
                # A home where no lock can be made (read-only, full): nothing gets written there
                # anyway, so two windows cannot overwrite each other's files.
                log.warning("no instance lock in %s (%s)", self.home, self._lock.error().name)
                return True
            if self._ask_to_raise():
                return False
            if time.monotonic() > deadline:
                info = self._lock.getLockInfo()  # (pid, host, app), or None if unreadable
                who = f" (process {info[0]} on {info[1]})" if info else ""
                raise RuntimeError(
                    f"Promptpad is already running on {self.home}{who} and does not answer; "
                    "not opening a second window on the same files"
                )
            time.sleep(0.1)  # the owner is starting up: it listens right after taking the lock

    def _listen(self) -> None:
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        QLocalServer.removeServer(self.name)  # we hold the lock: any socket left is stale
        if not server.listen(self.name):
            log.warning("second launches cannot reach this window: %s", server.errorString())
            return
        server.newConnection.connect(self._on_server_new_connection)
        self._server = server
        log.info("this window owns %s", self.home)

    def _ask_to_raise(self) -> bool:
        sock = QLocalSocket()
        sock.connectToServer(self.name)
        if not sock.waitForConnected(1000):
            return False
        sock.write(b"raise\n")
        sock.flush()
        answered = sock.waitForReadyRead(3000) and bytes(sock.readAll().data()).startswith(b"ok")
        sock.disconnectFromServer()
        return answered

    def _on_server_new_connection(self) -> None:
        assert self._server is not None
        while (sock := self._server.nextPendingConnection()) is not None:
            self._clients.append(sock)
            sock.readyRead.connect(lambda s=sock: self._on_client_ready_read(s))
            sock.disconnected.connect(lambda s=sock: self._forget(s))

    def _on_client_ready_read(self, sock: QLocalSocket) -> None:
        if not sock.canReadLine():
            return
        if bytes(sock.readLine().data()).strip() == b"raise":
            log.info("a second launch on %s: raising this window", self.home)
            sock.write(b"ok\n")
            sock.flush()
            self.raiseRequested.emit()

    def _forget(self, sock: QLocalSocket) -> None:
        if sock in self._clients:
            self._clients.remove(sock)
        sock.deleteLater()

    def release(self) -> None:
        if self._server is not None:
            self._server.close()
        self._lock.unlock()
