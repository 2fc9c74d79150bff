"""Corrupt and hostile files for the storage tests, and real ways to make a home unwritable.

A test that needs a read-only home cannot rely on chmod alone: as root (containers, CI) chmod
does not stop a write. ``read_only_command`` wraps a command so that it runs with the directory
mounted read-only in a private mount namespace (``unshare``) or, as root where that cannot be
done (a chroot), with the directory's immutable flag set; None only where none of these works.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

DEEP = 1000  # levels of nesting: Python's json raises RecursionError around here

# name → bytes that no loader may trust (each is a file someone could find in their home)
HOSTILE: dict[str, bytes] = {
    "truncated": b'{"providers": [{"name": "A", "base_url": "http://127.0.0.1:1/v1"',
    "binary": bytes(range(256)) * 4,
    "utf16": '{"text": "hello"}'.encode("utf-16"),
    "empty": b"",
    "list": b"[1, 2, 3]",
    "string": b'"just a string"',
    "deep_list": b"[" * DEEP + b"]" * DEEP,
    "deep_object": b'{"a":' * DEEP + b"1" + b"}" * DEEP,
    "very_deep": b"[" * 100_000 + b"]" * 100_000,
    "nan_top": b"NaN",
}


def can_chmod_read_only() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() != 0


def unshare_works() -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(
        ["unshare", "-r", "-m", "true"], capture_output=True, timeout=10, check=False
    )
    return probe.returncode == 0


def read_only_command(directory: Path, argv: list[str]) -> list[str] | None:
    """``argv`` run with ``directory`` read-only (a real EROFS/EPERM), or None if impossible.

    A read-only bind mount in a private mount namespace where user namespaces work; else, as
    root, the immutable flag (``chattr +i``: no new entry, no rename, even for root), which works
    inside a chroot too (a brand-new Debian's, where ``unshare`` cannot change the root's mount
    propagation). Call ``release_read_only`` afterwards in any case.
    """
    d = str(directory)
    if unshare_works():
        script = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"'
        return ["unshare", "-r", "-m", "sh", "-c", script, "sh", d, *argv]
    if os.geteuid() == 0 and shutil.which("chattr") and _chattr_works(directory):
        script = 'd=$1; shift; chattr +i "$d" || exit 97; "$@"; rc=$?; chattr -i "$d"; exit $rc'
        return ["sh", "-c", script, "sh", d, *argv]
    return None


def release_read_only(directory: Path) -> None:
    """Undo ``read_only_command``'s immutable flag (if a killed command left it set)."""
    if os.geteuid() == 0 and shutil.which("chattr"):
        subprocess.run(["chattr", "-i", str(directory)], capture_output=True, check=False)


def _chattr_works(directory: Path) -> bool:
    """Does this file system take the immutable flag (ext4, xfs, btrfs: yes; tmpfs: no)?"""
    probe = subprocess.run(["chattr", "+i", str(directory)], capture_output=True, check=False)
    release_read_only(directory)
    return probe.returncode == 0


def run_read_only(
    directory: Path, argv: list[str], **run: object
) -> subprocess.CompletedProcess[str]:
    """Run ``argv`` with ``directory`` really read-only (chmod as a normal user; as root a
    read-only mount or the immutable flag), then make it writable again, whatever happened.
    Skips only where none of these can be had."""
    import pytest

    if os.geteuid() != 0:
        directory.chmod(0o500)
    else:
        wrapped = read_only_command(directory, argv)
        if wrapped is None:
            pytest.skip("root, and neither unshare nor chattr +i work here: no real read-only home")
        argv = wrapped
    try:
        return subprocess.run(  # type: ignore[call-overload, no-any-return]
            argv, capture_output=True, text=True, timeout=60, check=False, **run
        )
    finally:
        release_read_only(directory)
        directory.chmod(0o700)
