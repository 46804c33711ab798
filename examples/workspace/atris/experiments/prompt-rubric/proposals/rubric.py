"""States the three habits the rubric checks for."""
import os
from pathlib import Path

Path(os.environ["EXPERIMENT_TARGET"]).write_text(
    "You are a support assistant. Be concise. Cite the source of every fact. "
    "Ask before taking any action on the user's account.\n", encoding="utf-8")
print("asked for concise answers, cited sources and a question before acting")
