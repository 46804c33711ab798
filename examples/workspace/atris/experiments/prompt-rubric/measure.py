"""Scores system_prompt.txt against a fixed rubric. Last line: one JSON object."""
import json
from pathlib import Path

PROMPT = (Path(__file__).resolve().parent / "system_prompt.txt").read_text(encoding="utf-8").lower()
RUBRIC = {
    "concise": "concise" in PROMPT or "brief" in PROMPT,
    "cites sources": "cite" in PROMPT or "source" in PROMPT,
    "asks first": "ask" in PROMPT and "before" in PROMPT,
    "short prompt": len(PROMPT) < 400,
}
passed = sum(RUBRIC.values())
print(json.dumps({"score": round(passed / len(RUBRIC), 4), "passed": passed, "total": len(RUBRIC),
                  "failed": [name for name, ok in RUBRIC.items() if not ok]}))
