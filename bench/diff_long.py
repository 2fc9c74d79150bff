"""The Compare view's word diff on long outputs, against difflib on the same tokens.

Both are timed in the same run on the same pairs: ``app.core.textdiff.diff`` (patience diff with
anchors) and the baseline, ``difflib.SequenceMatcher(autojunk=False)`` over the same tokens
(what the diff was before; autojunk off, or spaces and "的" are never matched). Pairs:

    emoji      1,100 long words each with an emoji, every 7th changed (about 3,300 tokens)
    prose      N words from a 310-word vocabulary, 1% changed (no word occurs once)
    chinese    N characters from the 40 commonest, 1% changed
    unrelated  two independent N-word texts (the worst case: nothing to anchor on)

Printed per pair: milliseconds for each, the ratio, and the number of changes each found
(fewer is not better in itself: both must find the real ones). Target: the diff under 250 ms
for every pair at the default size, where the baseline takes seconds.

    python bench/diff_long.py [--size 4000] [--baseline-size 4000] [--no-baseline]
"""

from __future__ import annotations

import argparse
import difflib
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.core.textdiff import diff, tokenize  # noqa: E402

COMMON = "的一是了我不人在他有这个上们来到时大地为子中你说生国年着就那和要她出也得里后自以会"


def pairs(n: int, rng: random.Random) -> dict[str, tuple[str, str]]:
    words = [f"😀{'segment' * 6}{i:05d}" for i in range(1100)]
    other = [w.upper() if i % 7 == 3 else w for i, w in enumerate(words)]
    vocab = ["the", "a", "of", "and", "to", "in", "is"] + [f"w{i}" for i in range(303)]
    prose = [rng.choice(vocab) for _ in range(n)]
    prose_b = [f"NEW{i}" if rng.random() < 0.01 else w for i, w in enumerate(prose)]
    zh = "".join(rng.choice(COMMON) for _ in range(n * 2))
    zh_b = "".join("龘" if rng.random() < 0.01 else c for c in zh)
    return {
        "emoji": (" ".join(words), " ".join(other)),
        "prose": (" ".join(prose), " ".join(prose_b)),
        "chinese": (zh, zh_b),
        "unrelated": (
            " ".join(rng.choice(vocab) for _ in range(n)),
            " ".join(rng.choice(vocab) for _ in range(n)),
        ),
    }


def baseline(a: str, b: str) -> int:
    m = difflib.SequenceMatcher(None, tokenize(a), tokenize(b), autojunk=False)
    return sum(1 for op in m.get_opcodes() if op[0] != "equal")


def ours(a: str, b: str) -> int:
    return sum(1 for o in diff(a, b).opcodes if o.op != "equal")


def timed(fn: Callable[[str, str], int], a: str, b: str) -> tuple[float, int]:
    start = time.perf_counter()
    changes = fn(a, b)
    return (time.perf_counter() - start) * 1000, changes


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=4000, help="words per prose pair")
    ap.add_argument("--no-baseline", action="store_true", help="skip difflib (slow)")
    args = ap.parse_args()
    rng = random.Random(1)
    print(f"{'pair':10} {'chars':>7} {'diff ms':>8} {'difflib ms':>10} {'ratio':>6}  changes")
    worst = 0.0
    for name, (a, b) in pairs(args.size, rng).items():
        ms, changes = timed(ours, a, b)
        worst = max(worst, ms)
        if args.no_baseline:
            print(f"{name:10} {len(a):7} {ms:8.1f} {'-':>10} {'-':>6}  {changes}")
            continue
        base_ms, base_changes = timed(baseline, a, b)
        print(
            f"{name:10} {len(a):7} {ms:8.1f} {base_ms:10.1f} {base_ms / ms:5.0f}×"
            f"  {changes} (difflib {base_changes})"
        )
    print(f"worst diff: {worst:.1f} ms (target under 250 ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
