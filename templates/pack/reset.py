"""Puts candidate.py back to its baseline."""
from pathlib import Path

BASELINE = '''def slugify(title):
    # Baseline: only lowercases and swaps spaces, so punctuation and repeated spaces slip through.
    return title.lower().replace(" ", "-")
'''

target = Path(__file__).resolve().parent / "candidate.py"
target.write_text(BASELINE, encoding="utf-8")
print(f"reset {target.name} to its baseline")
