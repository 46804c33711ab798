/**
 * The Python shim the pack engine hands loop.py in place of each proposal. It has the proposal's file
 * name, so loop.py logs the right name; it snapshots EXPERIMENT_TARGET into the journal's store, runs
 * the real proposal in its own interpreter (no second Python start per trial) with the same
 * environment and arguments, snapshots the candidate, and puts back any other file the proposal
 * changed (then fails, so loop.py logs an error).
 * Its journal events follow ./journal.ts's schema; its folder walk follows ./folderState.ts.
 * It runs once per trial, so it imports only what Python has loaded at start or loads for free:
 * json, runpy, signal and hashlib would cost more than a fast proposal's whole run (they pull in re,
 * enum, importlib.util and OpenSSL), so it uses their C cores and writes its JSON itself.
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
import marshal, os, sys, time

try:
    from _sha256 import sha256  # Python 3.11 and older
except ImportError:
    try:
        from _sha2 import sha256  # Python 3.12 and newer
    except ImportError:
        from hashlib import sha256
try:
    import _signal as signal  # the same calls, without the enums signal.py builds
except ImportError:
    import signal

CONFIG = {}

IGNORED_DIRS = {"__pycache__", ".git", "node_modules", ".autoexp", ".venv", ".mypy_cache", ".pytest_cache"}
MAX_TRACKED = 16 * 1024 * 1024


def now():
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


SHORT_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def quote(text):
    """A JSON string as json.dumps writes it: ASCII only, so a file name that is not UTF-8 survives."""
    if text.isascii() and text.isprintable() and '"' not in text and "\\" not in text:
        return '"' + text + '"'
    out = []
    for ch in text:
        code = ord(ch)
        if ch in SHORT_ESCAPES:
            out.append(SHORT_ESCAPES[ch])
        elif 0x20 <= code < 0x7F:
            out.append(ch)
        elif code > 0xFFFF:
            code -= 0x10000
            out.append("\\u%04x\\u%04x" % (0xD800 + (code >> 10), 0xDC00 + (code & 0x3FF)))
        else:
            out.append("\\u%04x" % code)
    return '"' + "".join(out) + '"'


def to_json(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return quote(value)
    if isinstance(value, dict):
        return "{" + ", ".join(quote(k) + ": " + to_json(v) for k, v in value.items()) + "}"
    return "[" + ", ".join(to_json(v) for v in value) + "]"


def emit(event):
    event["run"] = CONFIG["run"]
    with open(CONFIG["journal"], "a", encoding="utf-8") as journal:
        journal.write(to_json(event) + "\n")


def put(data):
    digest = sha256(data).hexdigest()
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
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), "state-%s.marshal" % CONFIG["run"])


def load_previous():
    """The state the previous trial's shim left (same interpreter, same run): unchanged files need not be read again."""
    try:
        with open(state_file(), "rb") as f:
            state = marshal.load(f)
        return state if isinstance(state, dict) else {}
    except (OSError, EOFError, ValueError, TypeError):
        return {}


def save_state(state):
    temp = state_file() + ".tmp"
    with open(temp, "wb") as f:
        marshal.dump(state, f)
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


def run_script(path):
    """What runpy.run_path does for a script: a fresh __main__ module for the time it runs."""
    module = type(sys)("__main__")
    module.__dict__.update(__file__=path, __cached__=None, __package__="")
    shim_main = sys.modules["__main__"]
    sys.modules["__main__"] = module
    try:
        with open(path, "rb") as f:
            source = f.read()
        exec(compile(source, path, "exec"), module.__dict__)
    finally:
        sys.modules["__main__"] = shim_main


def run_proposal():
    """The proposal in this interpreter, as python would run it: its own argv, path and __main__."""
    real = CONFIG["real"]
    sys.argv = [real] + sys.argv[1:]
    sys.path[0] = os.path.dirname(real)
    try:
        run_script(real)
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

/** The shared module, written once per run beside the stubs; Python caches its bytecode there. */
export const SHIM_MODULE_NAME = 'autoexp_shim';
export const SHIM_MODULE = BODY;

/** The per-proposal stub loop.py runs: it loads the shared module and hands it this trial's config. */
export function shimStub(config: ShimConfig, moduleDir: string): string {
  return [
    `# Autoexp shim for ${JSON.stringify(config.real)}: records this trial, then runs it.`,
    'import sys',
    `sys.path.insert(0, ${pythonLiteral(moduleDir)})`,
    // Its bytecode is cached in our own temporary folder even where the user turned caching off
    // (PYTHONDONTWRITEBYTECODE, common in containers): compiling it cost more than the rest of a trial.
    'dont_write_bytecode, sys.dont_write_bytecode = sys.dont_write_bytecode, False',
    `import ${SHIM_MODULE_NAME}`,
    'sys.dont_write_bytecode = dont_write_bytecode',
    'del sys.path[0], dont_write_bytecode',
    `${SHIM_MODULE_NAME}.main(${pythonLiteral(config)})`,
    '',
  ].join('\n');
}

/**
 * A value as Python source, so the stub needs no json import. A JSON string or finite number is also
 * a valid Python literal, whatever quotes or backslashes a path holds.
 */
export function pythonLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number' && !Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
  if (Array.isArray(value)) return `[${value.map(pythonLiteral).join(', ')}]`;
  if (typeof value === 'object') return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${pythonLiteral(v)}`).join(', ')}}`;
  return JSON.stringify(value);
}
