"""Adds a long list of rules: more words, no better."""
import os
from pathlib import Path

target = Path(os.environ["EXPERIMENT_TARGET"])
target.write_text(target.read_text(encoding="utf-8") + "Always be thorough and explain every step in detail. " * 8 + "\n", encoding="utf-8")
print("added long rules about thoroughness")
