"""Autoexp's pack-engine shim: loop.py runs a stub per proposal that imports this module and calls
main() with the trial's config (see shimSource.ts). The exit codes and everything else the TypeScript
side decides come in that config, so they are written once, there.

It runs once per trial, so it imports only what Python has loaded at start or loads for free: json,
runpy, signal and hashlib would cost more than a fast proposal's whole run (they pull in re, enum,
importlib.util and OpenSSL), so it uses their C cores and writes its JSON itself."""
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


def guard(op):
    """Asks the run to mark the repository before the proposal ("mark"), or to check it after
    ("check"): then the line that says what the proposal changed besides its target, all of it put
    back already, and those paths, each followed by the snapshot hash of the copy the guard kept of what
    the proposal left there ("" for none). None when the run cannot answer, said on stdout (loop.py logs it).
    _socket, not socket: socket.py would import enum and selectors on every trial."""
    import _socket

    conn = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    try:
        conn.connect(CONFIG["guard"])
        conn.sendall(("%s %d\n" % (op, CONFIG["trial"])).encode())
        reply = b""
        while True:
            chunk = conn.recv(65536)
            if not chunk:
                break
            reply += chunk
    except (ConnectionRefusedError, FileNotFoundError) as err:
        end_orphaned_loop()
        reply = b"error\0" + str(err).encode()
    except OSError as err:
        reply = b"error\0" + str(err).encode()
    finally:
        conn.close()
    fields = reply.decode("utf-8", "surrogateescape").split("\0")
    if fields[0] != "ok":
        print("the guard could not check the repository: %s" % (fields[1] if len(fields) > 1 else "no answer"), flush=True)
        return None
    return fields[1:]


def end_orphaned_loop():
    """Nothing listens on the guard's socket: the run that started this loop was killed, and its
    watchdog with it. loop.py must not go on unwatched, nor log a row for a trial the run never saw, so
    when this process group is the run's, all of it (this process too) ends here. The next start
    recovers the run: a trial that was under way is put back from the snapshot its trial-start named.
    In any other group this returns, and the trial fails as it would for any guard that cannot answer."""
    if run_owns_group():
        try:
            os.killpg(os.getpgrp(), signal.SIGKILL)
        except OSError:
            pass


def run_owns_group():
    """Whether this process group's leader is a process of this run, tagged with its id as loop.py is
    (the pack engine starts loop.py as a group of its own). Never a group that started the shim some
    other way, and never where /proc cannot say."""
    name = CONFIG.get("runVar")
    if not name:
        return False
    entry = ("\0%s=%s\0" % (name, CONFIG["run"])).encode()
    try:
        with open("/proc/%d/environ" % os.getpgrp(), "rb") as f:
            return entry in b"\0" + f.read()
    except OSError:
        return False


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
    if guard("mark") is None:
        os._exit(CONFIG["exits"]["guard"])
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
    checked = guard("check")
    # After the line: each path the guard undid, then the hash of its kept copy ("" for none).
    touched = checked[1::2] if checked else []
    event = {"type": "trial-applied", "trial": CONFIG["trial"], "candidate": candidate, "exitCode": code, "durationMs": (time.monotonic() - started) * 1000}
    if touched:
        event["touched"] = touched
        undone = dict((path, kept) for path, kept in zip(checked[1::2], checked[2::2]) if kept)
        if undone:
            event["undone"] = undone
    emit(event)
    if checked is None:
        write(real_target, original)
        os._exit(CONFIG["exits"]["guard"])
    if touched:
        # Everything else is back already; the guard leaves the target to us.
        write(real_target, original)
        print(checked[0], flush=True)
        os._exit(CONFIG["exits"]["touched"])
    if timed_out:
        print("timeout: the proposal ran past %s s and was stopped" % CONFIG["timeoutSeconds"], flush=True)
        os._exit(CONFIG["exits"]["timeout"])
    sys.stdout.flush()
    sys.stderr.flush()
    # Not sys.exit: threads the proposal left behind must not keep the trial waiting.
    os._exit(code)
