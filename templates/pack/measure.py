"""Scores candidate.py: the share of fixed cases slugify gets right. Last line: one JSON object."""
import importlib.util
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
CASES = [
    ("hello", "hello"),
    ("Hello World", "hello-world"),
    ("  Many   spaces  ", "many-spaces"),
    ("Rock & Roll!", "rock-roll"),
    ("v2.0 Release", "v2-0-release"),
]


def load_candidate():
    spec = importlib.util.spec_from_file_location("candidate", HERE / "candidate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main():
    slugify = load_candidate().slugify
    passed = 0
    for title, expected in CASES:
        try:
            ok = slugify(title) == expected
        except Exception:
            ok = False
        passed += ok
    total = len(CASES)
    print(json.dumps({"score": round(passed / total, 4), "passed": passed, "total": total,
                      "status": "pass" if passed == total else "fail"}))


if __name__ == "__main__":
    main()
