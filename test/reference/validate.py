"""An independent Python implementation of the reference pack validator's behaviour.

Written for Autoexp's tests from the rules in DESIGN.md (folder slug, required files, program.md length
in characters, results.tsv size in bytes, PASS/FAIL output) and from how the public validate.py
behaves at their edges:
- ROOT defaults to the current folder and is resolved first (symbolic links followed), so a linked
  ROOT or `.` is named by the real folder's name;
- a ROOT that is missing or is not a folder gives `FAIL: no experiments found`, exit 1;
- `exists()`, `is_dir()` and `stat()` follow links: a linked pack counts, a broken link is missing;
- program.md is read whenever it exists, strictly as UTF-8: a folder or a non-UTF-8 file crashes
  with a traceback (exit 1, nothing on stdout);
- results.tsv's size is `stat().st_size` of whatever exists under that name.
Tests run it and `autoexp validate` on the same trees and compare lines and exit codes, so Python's
own semantics (str length, text-mode newlines, sort order) are checked against real Python.
"""
import re
import sys
from pathlib import Path

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
REQUIRED = ["program.md", "measure.py", "loop.py", "results.tsv"]


def candidates(root: Path):
    if not root.is_dir():
        return []
    if any((root / name).exists() for name in REQUIRED):
        return [root]
    return [p for p in sorted(root.iterdir()) if p.is_dir() and not p.name.startswith((".", "_"))]


def issues_of(pack: Path):
    found = []
    name = pack.name
    if not SLUG.match(name):
        found.append(f"{name}: invalid folder name, use lowercase-hyphen slug")
    for required in REQUIRED:
        if not (pack / required).exists():
            found.append(f"{name}: missing required file {required}")
    program = pack / "program.md"
    if program.exists():
        length = len(program.read_text(encoding="utf-8"))
        if length > 1200:
            found.append(f"{name}: program.md too long ({length} chars > 1200)")
    results = pack / "results.tsv"
    if results.exists():
        size = results.stat().st_size
        if size > 64000:
            found.append(f"{name}: results.tsv too large ({size} bytes > 64000)")
    return found


def main(argv):
    root = Path(argv[1] if len(argv) > 1 else ".").resolve()
    packs = candidates(root)
    if not packs:
        print("FAIL: no experiments found")
        return 1
    problems = [issue for pack in packs for issue in issues_of(pack)]
    if problems:
        print("FAIL")
        for issue in problems:
            print(f"- {issue}")
        return 1
    print(f"PASS: {len(packs)} experiment(s) valid")
    for pack in packs:
        print(f"- {pack.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
