/**
 * The Python shim the pack engine hands loop.py in place of each proposal. It has the proposal's file
 * name, so loop.py logs the right name; it snapshots EXPERIMENT_TARGET into the journal's store, runs
 * the real proposal in its own interpreter (runpy: no second Python start per trial) with the same
 * environment and arguments, snapshots the candidate, and puts back any other file the proposal
 * changed (then fails, so loop.py logs an error).
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
import hashlib, json, os, runpy, signal, sys, time

CONFIG = {}

IGNORED_DIRS = {"__pycache__", ".git", "node_modules", ".autoexp", ".venv", ".mypy_cache", ".pytest_cache"}
MAX_TRACKED = 16 * 1024 * 1024


def now():
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


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


def walk(folder, recursive, state, previous):
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            if recursive and entry.name not in IGNORED_DIRS:
                walk(entry.path, True, state, previous)
            continue
        if not entry.is_file(follow_symlinks=False) or entry.name.endswith((".pyc", ".autoexp-restore")):
            continue
        info = entry.stat(follow_symlinks=False)
        known = previous.get(entry.path)
        # Unchanged size and nanosecond mtime: the same bytes, no need to read them again.
        if known is not None and known[1] == info.st_size and known[2] == info.st_mtime_ns:
            state[entry.path] = known
            continue
        data = read(entry.path) if info.st_size <= MAX_TRACKED else None
        # Stored, so a file the proposal must not have changed can be put back from the store.
        state[entry.path] = (put(data) if data is not None else None, info.st_size, info.st_mtime_ns)


def state_file():
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), "state-%s.json" % CONFIG["run"])


def load_previous():
    """The state the previous trial's shim left: unchanged files need not be read again."""
    try:
        with open(state_file(), encoding="utf-8") as f:
            return {path: tuple(entry) for path, entry in json.load(f).items()}
    except (OSError, ValueError):
        return {}


def save_state(state):
    temp = state_file() + ".tmp"
    with open(temp, "w", encoding="utf-8") as f:
        json.dump(state, f)
    os.replace(temp, state_file())


def capture(target, previous=None):
    state = {}
    previous = previous or {}
    pack = os.path.realpath(CONFIG["pack"])
    walk(pack, True, state, previous)
    folder = os.path.dirname(os.path.realpath(target))
    if os.path.relpath(folder, pack).startswith(".."):
        walk(folder, False, state, previous)
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


class ProposalTimeout(BaseException):
    pass


def on_alarm(signum, frame):
    raise ProposalTimeout()


def has_children():
    try:
        for task in os.listdir("/proc/self/task"):
            with open("/proc/self/task/%s/children" % task) as f:
                if f.read().strip():
                    return True
    except OSError:
        return True  # cannot tell cheaply: look properly
    return False


def end_children():
    """What the proposal started and left running ends with it (Linux /proc): it must not write later."""
    if not has_children():
        return
    for pid in descendants(os.getpid()):
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


def descendants(root):
    children = {}
    try:
        entries = [e for e in os.listdir("/proc") if e.isdigit()]
    except OSError:
        return []
    for entry in entries:
        try:
            with open("/proc/%s/stat" % entry) as f:
                stat = f.read()
            children.setdefault(int(stat[stat.rindex(")") + 2:].split()[1]), []).append(int(entry))
        except (OSError, ValueError, IndexError):
            pass
    found, todo = [], [root]
    while todo:
        for pid in children.get(todo.pop(), []):
            found.append(pid)
            todo.append(pid)
    return found


def run_proposal():
    """The proposal in this interpreter, as python would run it: its own argv, path and __main__."""
    real = CONFIG["real"]
    sys.argv = [real] + sys.argv[1:]
    sys.path[0] = os.path.dirname(real)
    try:
        runpy.run_path(real, run_name="__main__")
        return 0
    except SystemExit as done:
        if done.code is None or isinstance(done.code, int):
            return done.code or 0
        print(done.code, file=sys.stderr)
        return 1
    except ProposalTimeout:
        raise
    except BaseException:
        import traceback  # only when a proposal fails: every import is paid on every trial

        traceback.print_exc()
        return 1
    finally:
        sys.stdout.flush()


def main(config):
    CONFIG.update(config)
    target = os.environ.get("EXPERIMENT_TARGET") or CONFIG["target"]
    real_target = os.path.realpath(target)
    original = read(real_target) or b""
    before = put(original)
    state = capture(real_target, load_previous())
    emit({"type": "trial-start", "trial": CONFIG["trial"], "proposal": os.path.basename(CONFIG["real"]), "target": real_target, "before": before, "at": now()})
    started = time.monotonic()
    signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, CONFIG["timeoutSeconds"])
    timed_out = False
    try:
        code = run_proposal()
    except ProposalTimeout:
        timed_out = True
        code = None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        end_children()
    candidate = put(read(real_target) or b"")
    after = capture(real_target, state)
    touched = changed(state, after, real_target)
    save_state(state if touched else after)
    event = {"type": "trial-applied", "trial": CONFIG["trial"], "candidate": candidate, "exitCode": code, "durationMs": (time.monotonic() - started) * 1000}
    if touched:
        event["touched"] = touched
    emit(event)
    if touched:
        for path in touched:
            entry = state.get(path)
            if entry is None:
                os.remove(path)
            elif entry[0] is not None:
                write(path, read(os.path.join(CONFIG["snapshots"], entry[0])))
        write(real_target, original)
        shown = os.path.relpath(touched[0], os.path.dirname(os.path.dirname(CONFIG["journal"])))
        more = " and %d more" % (len(touched) - 1) if len(touched) > 1 else ""
        print("proposal touched %s%s" % (shown, more), flush=True)
        os._exit(${SHIM_TOUCHED_EXIT})
    if timed_out:
        print("timeout: the proposal ran past %s s and was stopped" % CONFIG["timeoutSeconds"], flush=True)
        os._exit(${SHIM_TIMEOUT_EXIT})
    sys.stdout.flush()
    sys.stderr.flush()
    # Not sys.exit: threads the proposal left behind must not keep the trial waiting.
    os._exit(code)

`;

/** The shared module, written once per run beside the stubs; Python caches its bytecode. */
export const SHIM_MODULE_NAME = 'autoexp_shim';
export const SHIM_MODULE = BODY;

/** The per-proposal stub loop.py runs: it loads the shared module and hands it this trial's config. */
export function shimStub(config: ShimConfig, moduleDir: string): string {
  // A JSON string literal is also a valid Python string literal, whatever quotes the paths hold.
  return [
    `# Autoexp shim for ${JSON.stringify(config.real)}: records this trial, then runs it.`,
    'import json, sys',
    `sys.path.insert(0, ${JSON.stringify(moduleDir)})`,
    `import ${SHIM_MODULE_NAME}`,
    'del sys.path[0]',
    `${SHIM_MODULE_NAME}.main(json.loads(${JSON.stringify(JSON.stringify(config))}))`,
    '',
  ].join('\n');
}
