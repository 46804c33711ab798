"""The keep/revert loop: python loop.py --proposal P [--proposal P ...]

Measures a baseline, then for each proposal: backs the target up, runs the proposal with
EXPERIMENT_TARGET set, re-measures, keeps the change only if the score went up, otherwise restores
the backup. Appends one row per trial to results.tsv.
"""
import argparse
import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

EXPERIMENT_DIR = Path(__file__).resolve().parent
DEFAULT_TARGET = EXPERIMENT_DIR / "candidate.py"
RESULTS = EXPERIMENT_DIR / "results.tsv"
HEADER = "timestamp\ttrial\tstatus\told_score\tnew_score\tproposal\tdescription\n"


def measure():
    done = subprocess.run([sys.executable, str(EXPERIMENT_DIR / "measure.py")], cwd=EXPERIMENT_DIR,
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"measure.py exited with code {done.returncode}")
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    if not lines:
        raise RuntimeError("measure.py printed nothing")
    return float(json.loads(lines[-1])["score"])


def append_row(trial, status, old, new, proposal, description):
    if not RESULTS.exists() or RESULTS.stat().st_size == 0:
        with RESULTS.open("a", encoding="utf-8") as log:
            log.write(HEADER)
    now = datetime.datetime.now(datetime.timezone.utc).isoformat()
    clean = " ".join(description.split())
    new_cell = "" if new is None else f"{new:.4f}"
    with RESULTS.open("a", encoding="utf-8") as log:
        log.write(f"{now}\t{trial}\t{status}\t{old:.4f}\t{new_cell}\t{proposal}\t{clean}\n")


def resolve(proposal):
    path = Path(proposal)
    if path.is_absolute() or path.exists():
        return path.resolve()
    return (EXPERIMENT_DIR / proposal).resolve()


def run_trial(number, proposal, best):
    target = DEFAULT_TARGET
    with tempfile.TemporaryDirectory() as scratch:
        backup = Path(scratch) / target.name
        shutil.copy2(target, backup)
        env = dict(os.environ, EXPERIMENT_TARGET=str(target))
        done = subprocess.run([sys.executable, str(proposal)], cwd=EXPERIMENT_DIR, env=env,
                              capture_output=True, text=True)
        description = (done.stdout.strip().splitlines() or [""])[-1]
        score = None
        try:
            if done.returncode != 0:
                raise RuntimeError(f"proposal exited with code {done.returncode}")
            score = measure()
        except (RuntimeError, ValueError, KeyError) as err:
            shutil.copy2(backup, target)
            append_row(number, "error", best, None, proposal.name, f"{description} ({err})")
            print(f"TRIAL {number} ERROR score=- proposal={proposal.name}")
            return best
        if score > best:
            append_row(number, "kept", best, score, proposal.name, description)
            print(f"TRIAL {number} KEPT score={score:.4f} proposal={proposal.name}")
            return score
        shutil.copy2(backup, target)
        append_row(number, "reverted", best, score, proposal.name, description)
        print(f"TRIAL {number} REVERTED score={score:.4f} proposal={proposal.name}")
        return best


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--proposal", action="append", default=[], help="a proposal script; repeat for more")
    args = parser.parse_args()
    best = measure()
    print(f"BASELINE {best:.4f}", flush=True)
    for number, proposal in enumerate(args.proposal, start=1):
        best = run_trial(number, resolve(proposal), best)
        sys.stdout.flush()
    print(f"FINAL {best:.4f}")


if __name__ == "__main__":
    main()
