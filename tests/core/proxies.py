"""Minimal loopback proxies (HTTP forward proxy and SOCKS5) that record what went through them."""

from __future__ import annotations

import base64
import socket
import struct
import threading


def _pipe(a: socket.socket, b: socket.socket) -> None:
    def pump(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    t = threading.Thread(target=pump, args=(b, a), daemon=True)
    t.start()
    pump(a, b)
    t.join(timeout=5)
    a.close()
    b.close()


class _Proxy:
    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.seen: list[str] = []
        self._thread = threading.Thread(target=self._accept, daemon=True)

    @property
    def port(self) -> int:
        return int(self.sock.getsockname()[1])

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        raise NotImplementedError

    def __enter__(self):  # noqa: ANN204
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.sock.close()


class HTTPProxy(_Proxy):
    """Forward proxy for http:// URLs (absolute-form requests): relays bytes to the target."""

    def __init__(self, auth: str | None = None) -> None:
        """``auth`` ("user:password") makes the proxy demand Basic Proxy-Authorization."""
        super().__init__()
        self.auth = auth

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _serve(self, conn: socket.socket) -> None:
        head = b""
        while b"\r\n\r\n" not in head:
            data = conn.recv(65536)
            if not data:
                conn.close()
                return
            head += data
        line = head.split(b"\r\n", 1)[0].decode()
        self.seen.append(line)
        if self.auth is not None:
            want = "Basic " + base64.b64encode(self.auth.encode()).decode()
            got = ""
            for h in head.split(b"\r\n\r\n", 1)[0].split(b"\r\n")[1:]:
                name, _, value = h.decode("latin-1").partition(":")
                if name.strip().lower() == "proxy-authorization":
                    got = value.strip()
            if got != want:
                conn.sendall(
                    b"HTTP/1.1 407 Proxy Authentication Required\r\n"
                    b'Proxy-Authenticate: Basic realm="test"\r\n'
                    b"Content-Length: 0\r\nConnection: close\r\n\r\n"
                )
                conn.close()
                return
        method, target, _ = line.split(" ", 2)
        hostport = target.split("://", 1)[1].split("/", 1)[0]
        host, port = hostport.rsplit(":", 1)
        upstream = socket.create_connection((host, int(port)))
        upstream.sendall(head)
        _pipe(conn, upstream)


class Socks5Proxy(_Proxy):
    """SOCKS5 without authentication, CONNECT only (RFC 1928)."""

    @property
    def url(self) -> str:
        return f"socks5://127.0.0.1:{self.port}"

    def _recv(self, conn: socket.socket, n: int) -> bytes:
        buf = b""
        while len(buf) < n:
            data = conn.recv(n - len(buf))
            if not data:
                raise OSError("closed")
            buf += data
        return buf

    def _serve(self, conn: socket.socket) -> None:
        try:
            ver, nmethods = self._recv(conn, 2)
            self._recv(conn, nmethods)
            conn.sendall(b"\x05\x00")
            ver, cmd, _, atyp = self._recv(conn, 4)
            if atyp == 1:
                host = socket.inet_ntoa(self._recv(conn, 4))
            elif atyp == 3:
                host = self._recv(conn, self._recv(conn, 1)[0]).decode()
            else:
                host = socket.inet_ntop(socket.AF_INET6, self._recv(conn, 16))
            (port,) = struct.unpack("!H", self._recv(conn, 2))
            self.seen.append(f"CONNECT {host}:{port}")
            upstream = socket.create_connection((host, port))
            conn.sendall(b"\x05\x00\x00\x01" + socket.inet_aton("0.0.0.0") + b"\x00\x00")
        except OSError:
            conn.close()
            return
        _pipe(conn, upstream)
