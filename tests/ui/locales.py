"""The UI under another language for a test: the app's translators and a default locale,
removed again afterwards so that later tests see English."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from app.ui.app import install_translators


@contextmanager
def chinese(app: QApplication) -> Iterator[list[QTranslator]]:
    """Simplified Chinese (zh_CN), as a window built under that system locale speaks."""
    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    translators: list[QTranslator] = []
    try:
        translators = install_translators(app)
        yield translators
    finally:
        for t in translators:
            QCoreApplication.removeTranslator(t)
            t.setParent(None)
        QLocale.setDefault(before)
