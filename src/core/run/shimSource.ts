/**
 * The Python shim the pack engine hands loop.py in place of each proposal. It has the proposal's file
 * name, so loop.py logs the right name; it snapshots EXPERIMENT_TARGET into the journal's store, runs
 * the real proposal with the same interpreter, environment and arguments, snapshots the candidate,
 * and puts back any other file the proposal changed (then fails, so loop.py logs an error).
 * Its journal events follow ./journal.ts's schema; its folder walk follows ./folderState.ts.
 */

export interface ShimConfig {
  real: string;
  journal: string;
  snapshots: string;
  run: string;
  trial: number;
  pack: string;
  /** Used when loop.py does not set EXPERIMENT_TARGET. */
  target: string;
  timeoutSeconds: number;
}

export const SHIM_TOUCHED_EXIT = 3;
export const SHIM_TIMEOUT_EXIT = 124;

const BODY = String.raw`
import datetime, hashlib, json, os, signal, subprocess, sys, time

IGNORED_DIRS = {"__pycache__", ".git", "node_modules", ".autoexp", ".venv", ".mypy_cache", ".pytest_cache"}
MAX_TRACKED = 16 * 1024 * 1024


def now():
    return datetime.datetime.now(datetime.timezone.utc).isoformat().replace("+00:00", "Z")


def emit(event):
    event["run"] = CONFIG["run"]
    with open(CONFIG["journal"], "a", encoding="utf-8") as journal:
        journal.write(json.dumps(event) + "\n")


def put(data):
    digest = hashlib.sha256(data).hexdigest()
    path = os.path.join(CONFIG["snapshots"], digest)
    if not os.path.exists(path):
        temp = "%s.%d.tmp" % (path, os.getpid())
        with open(temp, "wb") as out:
            out.write(data)
        os.replace(temp, path)
    return digest


def read(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError:
        return None


def walk(folder, recursive, state):
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            if recursive and entry.name not in IGNORED_DIRS:
                walk(entry.path, True, state)
            continue
        if not entry.is_file(follow_symlinks=False) or entry.name.endswith((".pyc", ".autoexp-restore")):
            continue
        info = entry.stat(follow_symlinks=False)
        data = read(entry.path) if info.st_size <= MAX_TRACKED else None
        state[entry.path] = (hashlib.sha256(data).hexdigest() if data is not None else None, info.st_size, info.st_mtime_ns, data)


def capture(target):
    state = {}
    pack = os.path.realpath(CONFIG["pack"])
    walk(pack, True, state)
    folder = os.path.dirname(os.path.realpath(target))
    if os.path.relpath(folder, pack).startswith(".."):
        walk(folder, False, state)
    return state


def same(a, b):
    if a[0] is not None or b[0] is not None:
        return a[0] == b[0]
    return (a[1], a[2]) == (b[1], b[2])


def changed(before, after, target):
    files = {p for p, entry in before.items() if p not in after or not same(entry, after[p])}
    files.update(p for p in after if p not in before)
    files.discard(os.path.realpath(target))
    return sorted(files)


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    temp = os.path.join(os.path.dirname(path), "." + os.path.basename(path) + ".autoexp-restore")
    with open(temp, "wb") as out:
        out.write(data)
    os.replace(temp, path)


child = None


def forward(signum, frame):
    if child is not None and child.poll() is None:
        try:
            os.killpg(child.pid, signum)
        except OSError:
            pass
    sys.exit(128 + signum)


def main():
    global child
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, forward)
    target = os.environ.get("EXPERIMENT_TARGET") or CONFIG["target"]
    real_target = os.path.realpath(target)
    original = read(real_target) or b""
    before = put(original)
    state = capture(real_target)
    emit({"type": "trial-start", "trial": CONFIG["trial"], "proposal": os.path.basename(CONFIG["real"]), "target": real_target, "before": before, "at": now()})
    sys.stdout.flush()
    started = time.monotonic()
    child = subprocess.Popen([sys.executable, CONFIG["real"]] + sys.argv[1:], start_new_session=True)
    emit({"type": "process", "pid": child.pid})
    timed_out = False
    try:
        code = child.wait(timeout=CONFIG["timeoutSeconds"])
    except subprocess.TimeoutExpired:
        timed_out = True
        for signum, pause in ((signal.SIGTERM, 1.0), (signal.SIGKILL, 0)):
            try:
                os.killpg(child.pid, signum)
            except OSError:
                pass
            try:
                child.wait(timeout=pause or None)
                break
            except subprocess.TimeoutExpired:
                pass
        code = None
    candidate = put(read(real_target) or b"")
    touched = changed(state, capture(real_target), real_target)
    event = {"type": "trial-applied", "trial": CONFIG["trial"], "candidate": candidate, "exitCode": code, "durationMs": (time.monotonic() - started) * 1000}
    if touched:
        event["touched"] = touched
    emit(event)
    if touched:
        for path in touched:
            entry = state.get(path)
            if entry is None:
                os.remove(path)
            elif entry[3] is not None:
                write(path, entry[3])
        write(real_target, original)
        shown = os.path.relpath(touched[0], os.path.dirname(os.path.dirname(CONFIG["journal"])))
        more = " and %d more" % (len(touched) - 1) if len(touched) > 1 else ""
        print("proposal touched %s%s" % (shown, more), flush=True)
        sys.exit(${SHIM_TOUCHED_EXIT})
    if timed_out:
        print("timeout: the proposal ran past %s s and was stopped" % CONFIG["timeoutSeconds"], flush=True)
        sys.exit(${SHIM_TIMEOUT_EXIT})
    sys.exit(code)


main()
`;

export function shimSource(config: ShimConfig): string {
  // A JSON string literal is also a valid Python string literal, whatever quotes the paths hold.
  return `# Autoexp shim for ${JSON.stringify(config.real)}: records this trial, then runs it.\nimport json\nCONFIG = json.loads(${JSON.stringify(JSON.stringify(config))})\n${BODY}`;
}
