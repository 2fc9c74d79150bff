"""The seed pages' facts as test data: tests/fixtures/seeds/<page>.json.

The four relay pages in ``../shared/seeds`` (outside this repository) document
``POST /v1/completions``; the seed-fidelity tests (tests/core/test_seeds.py) need their facts —
the URL, the method, the curl example's headers, the example request and response bodies — on
every clone, so they live in tests/fixtures/seeds as JSON, extracted from the pages by this script.

    python scripts/seed_fixtures.py --write   re-extract the fixtures from ../shared/seeds
    python scripts/seed_fixtures.py --check   exit 1 if a fixture differs from its page

JSON keeps what the tests compare exactly: key order, and 0 apart from 0.0.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT.parent / "shared" / "seeds"
FIXTURES = ROOT / "tests" / "fixtures" / "seeds"


def _json_objects(text: str) -> list[Any]:
    """Every JSON object in ``text`` that starts a line or follows curl's ``--data-raw '``."""
    decoder = json.JSONDecoder()
    found = []
    for m in re.finditer(r"(?m)(?:^|--data-raw ')\{", text):
        try:
            obj, _ = decoder.raw_decode(text, m.end() - 1)
        except ValueError:
            continue
        found.append(obj)
    return found


def extract(page: Path) -> dict[str, Any]:
    raw = page.read_bytes()
    text = raw.decode("utf-8")
    urls = re.findall(r"https://[^\s'\"]+/completions", text)
    if not urls:
        raise SystemExit(f"{page.name}: no .../completions URL")
    url = urls[0]
    objects = _json_objects(text)
    requests = [o for o in objects if isinstance(o, dict) and "prompt" in o]
    responses = [o for o in objects if isinstance(o, dict) and "choices" in o]
    curl = None
    m = re.search(r"curl --location --request (\w+) '(https://[^']+)'(.*?)--data-raw '", text, re.S)
    if m:
        headers = re.findall(r"--header '([^:']+): ?([^']*)'", m.group(3))
        body, _ = json.JSONDecoder().raw_decode(text, m.end())
        curl = {"method": m.group(1), "url": m.group(2), "headers": headers, "body": body}
    return {
        "source": page.name,
        "sha256": hashlib.sha256(raw).hexdigest(),
        "method": "POST",
        "url": url,
        "base_url": url[: -len("/completions")],
        "mentions_authorization": "Authorization" in text,
        "example_requests": requests,
        "example_responses": responses,
        "curl": curl,
    }


def render(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--write", action="store_true")
    mode.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    pages = sorted(PAGES.glob("0*.txt"))
    if not pages:
        print(f"no seed pages in {PAGES}", file=sys.stderr)
        return 2
    bad = 0
    for page in pages:
        target = FIXTURES / (page.stem + ".json")
        fresh = render(extract(page))
        if args.write:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(fresh, encoding="utf-8")
            print(f"wrote {target.relative_to(ROOT)}")
        elif not target.exists() or target.read_text(encoding="utf-8") != fresh:
            print(f"{target.relative_to(ROOT)} differs from {page}", file=sys.stderr)
            bad += 1
    if args.check:
        print(f"{len(pages) - bad} of {len(pages)} seed fixtures match their pages")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
