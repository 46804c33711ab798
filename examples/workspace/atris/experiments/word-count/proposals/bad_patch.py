"""A wrong fix: counts spaces, which still miscounts everything but the simple case."""
import os
from pathlib import Path

Path(os.environ["EXPERIMENT_TARGET"]).write_text(
    "def count_words(text):\n    return text.count(' ') + 1\n", encoding="utf-8")
print("applied bad proposal: count spaces plus one")
