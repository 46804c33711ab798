"""Puts candidate.py back to its baseline."""
from pathlib import Path

BASELINE = '''def count_words(text):
    # Splits on single spaces only: repeated spaces, newlines and empty text miscount.
    return len(text.split(" "))
'''

target = Path(__file__).resolve().parent / "candidate.py"
target.write_text(BASELINE, encoding="utf-8")
print(f"reset {target.name} to its baseline")
