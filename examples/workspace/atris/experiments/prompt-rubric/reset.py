"""Puts system_prompt.txt back to its baseline."""
from pathlib import Path

target = Path(__file__).resolve().parent / "system_prompt.txt"
target.write_text('You are a helpful assistant. Answer the question.\n', encoding="utf-8")
print("reset system_prompt.txt to its baseline")
