"""Scores candidate.py: the share of fixed cases count_words gets right. Last line: one JSON object."""
import importlib.util
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
CASES = [
    ("one two three", 3),
    ("one  two", 2),
    ("", 0),
    ("line one\nline two", 4),
    (" leading", 1),
]


def main():
    spec = importlib.util.spec_from_file_location("candidate", HERE / "candidate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    passed = 0
    for text, expected in CASES:
        try:
            passed += module.count_words(text) == expected
        except Exception:
            pass
    total = len(CASES)
    print(json.dumps({"score": round(passed / total, 4), "passed": passed, "total": total,
                      "status": "pass" if passed == total else "fail"}))


if __name__ == "__main__":
    main()
