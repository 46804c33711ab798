/**
 * The run's watchdog, a small Python process in a session of its own. It reads the run's process
 * groups and temporary folders from its stdin, one JSON object a line. The kernel closes that pipe
 * however the run's process ends, kill -9 included: at end of file without an `{"end": true}` first,
 * the run died, and the watchdog kills every process of the run (each carries the run's id in its
 * environment, and each recorded group whose leader is gone or still the same process), removes the
 * folders, and exits. It follows ../processTable.ts's reading of /proc.
 */
export const WATCHDOG_SOURCE = String.raw`
import json, os, shutil, signal, sys, time

entry = ("\0%s=%s\0" % (sys.argv[1], sys.argv[2])).encode()
groups, folders = {}, []
for line in sys.stdin.buffer:
    message = json.loads(line)
    if message.get("end"):
        sys.exit(0)
    if "group" in message:
        groups[message["group"]] = message.get("start")
    if "folder" in message:
        folders.append(message["folder"])


def stat(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            text = f.read()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2:].split()
    return fields[0], int(fields[2]), int(fields[19])


def tagged(pid):
    try:
        with open("/proc/%d/environ" % pid, "rb") as f:
            return entry in b"\0" + f.read()
    except OSError:
        return False


def victims():
    """Live processes of the run: tagged, or in a recorded group whose leader is gone or the same."""
    try:
        pids = [int(e) for e in os.listdir("/proc") if e.isdigit() and int(e) != os.getpid()]
    except OSError:
        # No /proc: the recorded groups are all there is to go by.
        for pgid in groups:
            try:
                os.killpg(pgid, signal.SIGKILL)
            except OSError:
                pass
        return []
    ours = set()
    for pgid, start in groups.items():
        leader = stat(pgid)
        # A group keeps its id from reuse while any of it lives: with the leader gone it is ours.
        if leader is None or start is None or leader[2] == start:
            ours.add(pgid)
    found = []
    for pid in pids:
        info = stat(pid)
        if info and info[0] not in "ZX" and (info[1] in ours or tagged(pid)):
            found.append(pid)
    return found


for attempt in range(100):
    found = victims()
    for pid in found:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    if not found:
        break
    time.sleep(0.02)
for folder in folders:
    shutil.rmtree(folder, ignore_errors=True)
`;
