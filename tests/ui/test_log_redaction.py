"""promptpad.log never holds a URL's password or a credential query value.

httpx logs every request URL at INFO ("HTTP Request: GET http://bob:pw@host/…"), and the app logs
at INFO. Run in a fresh process, as the app sets its logging up once per process.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Url-Passw0rd-9d2c"
QUERY_KEY = "sk-query-key-41b8"

SCRIPT = textwrap.dedent(
    f"""
    import sys
    from pathlib import Path

    from app.core.endpoint import Endpoint
    from promptpad_testing.server import TestServer
    from app.ui.app import setup_logging
    from tests.core.conftest import req
    from tests.helpers import call

    setup_logging(Path(sys.argv[1]))
    with TestServer() as srv:
        with_user = srv.base_url.replace("http://", "http://bob:{PASSWORD}@")
        call(Endpoint(with_user), "list_models")
        query = srv.base_url + "/completions?key={QUERY_KEY}"
        call(Endpoint(srv.base_url, completions_url=query), "complete", req())
    """
)


def test_request_urls_in_the_log_hide_their_credentials(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    r = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        cwd=ROOT,
    )
    assert r.returncode == 0, r.stderr
    log = (tmp_path / "promptpad.log").read_text(encoding="utf-8")
    assert "HTTP Request: GET http://bob:***@127.0.0.1:" in log  # still says where it went
    assert "/completions?key=***" in log
    assert PASSWORD not in log
    assert QUERY_KEY not in log
