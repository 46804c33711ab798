"""Rewrites the target so slugify keeps only letters and digits, joined by single hyphens."""
import os
from pathlib import Path

target = Path(os.environ["EXPERIMENT_TARGET"])
target.write_text(
    "import re\n\n\n"
    "def slugify(title):\n"
    "    return '-'.join(re.findall(r'[a-z0-9]+', title.lower()))\n",
    encoding="utf-8",
)
print("slugify keeps letters and digits, joined by single hyphens")
