"""The real fix: split on any run of whitespace."""
import os
from pathlib import Path

Path(os.environ["EXPERIMENT_TARGET"]).write_text(
    "def count_words(text):\n    return len(text.split())\n", encoding="utf-8")
print("applied good proposal: split on whitespace")
