"""File operations on a learner's workspace, run *inside* the sandbox as the learner.

The runner never touches a learner's files from the host (a planted symlink could point at host
files). Running here, as uid 1000, the worst a trick can reach is what the learner can already
reach; on top of that every path is kept inside /home/learner/work and links are never followed.

Request: argv[1] is JSON {"op", "path", "to"?, "maxBytes"}; file content for "write" is stdin.
Reply: one JSON object on stdout: {"ok": true, ...} or {"ok": false, "error": CODE, "message": ...}.
"""
import json
import os
import shutil
import stat
import sys

ROOT = "/home/learner/work"


def reply(obj):
    sys.stdout.write(json.dumps(obj))
    sys.exit(0)


def fail(code, message):
    reply({"ok": False, "error": code, "message": message})


def inside(real):
    return real == ROOT or real.startswith(ROOT + "/")


def resolve(rel):
    """The absolute path for a workspace-relative path whose parent folders stay in the workspace."""
    if rel in ("", "."):
        return ROOT
    full = os.path.join(ROOT, rel)
    parent = os.path.realpath(os.path.dirname(full))
    if not inside(parent):
        fail("INVALID_PATH", f"'{rel}' leads outside the workspace through a symbolic link.")
    return os.path.join(parent, os.path.basename(full))


def lstat_or_none(path):
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        fail("NOT_A_DIRECTORY", "A part of the path is a file, not a folder.")


def kind(mode):
    if stat.S_ISDIR(mode):
        return "directory"
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISLNK(mode):
        return "symlink"
    return "other"


def entry(directory, raw_name):
    path = os.path.join(directory, raw_name)
    st = os.lstat(path)
    try:
        name = raw_name.decode("utf-8")
        bad_name = False
    except UnicodeDecodeError:
        name = raw_name.decode("utf-8", "replace")
        bad_name = True
    item = {"name": name, "type": kind(st.st_mode), "size": st.st_size, "modifiedMs": int(st.st_mtime * 1000)}
    if bad_name:
        item["unreadableName"] = True
    if stat.S_ISLNK(st.st_mode):
        item["target"] = os.readlink(path).decode("utf-8", "replace")
    return item


def list_dir(path, rel):
    items = [entry(os.fsencode(path), name) for name in os.listdir(os.fsencode(path))]
    items.sort(key=lambda i: (i["type"] != "directory", i["name"].lower()))
    reply({"ok": True, "type": "directory", "path": rel, "entries": items})


def read(rel, max_bytes):
    path = resolve(rel)
    st = lstat_or_none(path)
    if st is None:
        fail("FILE_NOT_FOUND", f"'{rel}' does not exist.")
    if stat.S_ISDIR(st.st_mode):
        list_dir(path, rel)
    if stat.S_ISLNK(st.st_mode):
        fail("INVALID_PATH", f"'{rel}' is a symbolic link; the editor does not follow links.")
    if not stat.S_ISREG(st.st_mode):
        fail("NOT_A_FILE", f"'{rel}' is not a regular file.")
    if st.st_size > max_bytes:
        fail("FILE_TOO_LARGE", f"'{rel}' is {st.st_size} bytes; the editor opens files up to {max_bytes} bytes.")
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as f:
        data = f.read(max_bytes + 1)
    if b"\0" in data[:8192]:
        fail("BINARY_FILE", f"'{rel}' is a binary file; it cannot be opened as text.")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        fail("BINARY_FILE", f"'{rel}' is not UTF-8 text; it cannot be opened in the editor.")
    reply({"ok": True, "type": "file", "path": rel, "content": text, "size": len(data),
           "modifiedMs": int(st.st_mtime * 1000)})


def ensure_parents(rel):
    resolve(rel)  # refuse a path through a link that leads out before creating anything
    parent_rel = os.path.dirname(rel)
    if not parent_rel:
        return
    parent = resolve(parent_rel)
    st = lstat_or_none(parent)
    if st is None:
        os.makedirs(parent, exist_ok=True)
    elif stat.S_ISLNK(st.st_mode):
        fail("INVALID_PATH", f"'{parent_rel}' is a symbolic link; files are not written through links.")
    elif not stat.S_ISDIR(st.st_mode):
        fail("NOT_A_DIRECTORY", f"'{parent_rel}' is a file, not a folder.")


def write(rel, max_bytes):
    if rel in ("", "."):
        fail("INVALID_PATH", "Give the file a name.")
    data = sys.stdin.buffer.read(max_bytes + 1)
    if len(data) > max_bytes:
        fail("FILE_TOO_LARGE", f"Files saved from the editor can be up to {max_bytes} bytes.")
    ensure_parents(rel)
    path = resolve(rel)
    st = lstat_or_none(path)
    if st is not None and stat.S_ISDIR(st.st_mode):
        fail("NOT_A_FILE", f"'{rel}' is a folder.")
    if st is not None and not stat.S_ISREG(st.st_mode):
        fail("INVALID_PATH", f"'{rel}' is a link or special file; it was not overwritten.")
    mode = stat.S_IMODE(st.st_mode) if st is not None else 0o644
    temp = os.path.join(os.path.dirname(path), f".{os.path.basename(path)}.academy-save")
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, mode)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(temp, path)
    except OSError as error:
        try:
            os.unlink(temp)
        except OSError:
            pass
        if error.errno == 28:  # ENOSPC
            fail("WORKSPACE_FULL", "Your workspace is full; delete some files and save again.")
        raise
    reply({"ok": True, "type": "file", "path": rel, "size": len(data)})


def mkdir(rel):
    if rel in ("", "."):
        fail("ALREADY_EXISTS", "The workspace folder already exists.")
    ensure_parents(rel)
    path = resolve(rel)
    if lstat_or_none(path) is not None:
        fail("ALREADY_EXISTS", f"'{rel}' already exists.")
    os.mkdir(path)
    reply({"ok": True, "type": "directory", "path": rel})


def move(rel, to_rel):
    if rel in ("", ".") or to_rel in ("", "."):
        fail("INVALID_PATH", "The workspace folder itself cannot be moved.")
    source = resolve(rel)
    if lstat_or_none(source) is None:
        fail("FILE_NOT_FOUND", f"'{rel}' does not exist.")
    ensure_parents(to_rel)
    target = resolve(to_rel)
    if lstat_or_none(target) is not None:
        fail("ALREADY_EXISTS", f"'{to_rel}' already exists.")
    if os.path.isdir(source) and (target + "/").startswith(source + "/"):
        fail("INVALID_PATH", "A folder cannot be moved into itself.")
    os.rename(source, target)
    reply({"ok": True, "path": to_rel})


def delete(rel):
    if rel in ("", "."):
        fail("INVALID_PATH", "The workspace folder itself cannot be deleted.")
    path = resolve(rel)
    st = lstat_or_none(path)
    if st is None:
        fail("FILE_NOT_FOUND", f"'{rel}' does not exist.")
    if stat.S_ISDIR(st.st_mode):
        shutil.rmtree(path)  # rmtree never follows symbolic links
    else:
        os.unlink(path)
    reply({"ok": True, "path": rel})


# Folders listed in the tree but not descended into: tools' caches and environments.
TREE_SKIP = {".git", "__pycache__", "node_modules", ".venv", "venv", ".ipynb_checkpoints", ".pytest_cache", ".dvc"}


def tree(max_entries):
    """Every entry under the workspace (folders before files, by name), without following links."""
    entries = []
    truncated = False

    def walk(directory, prefix):
        nonlocal truncated
        try:
            names = os.listdir(os.fsencode(directory))
        except OSError:
            return
        items = [entry(os.fsencode(directory), name) for name in names]
        items.sort(key=lambda i: (i["type"] != "directory", i["name"].lower()))
        for item in items:
            if len(entries) >= max_entries:
                truncated = True
                return
            rel = f"{prefix}{item['name']}"
            record = {"path": rel, "type": item["type"], "size": item["size"], "modifiedMs": item["modifiedMs"]}
            if item["type"] == "directory" and item["name"] in TREE_SKIP:
                record["skipped"] = True
            entries.append(record)
            if item["type"] == "directory" and not record.get("skipped") and not item.get("unreadableName"):
                walk(os.path.join(directory, item["name"]), rel + "/")

    walk(ROOT, "")
    reply({"ok": True, "entries": entries, "truncated": truncated})


def main():
    request = json.loads(sys.argv[1])
    op, rel = request["op"], request.get("path", "")
    max_bytes = int(request.get("maxBytes", 1048576))
    if op == "read":
        read(rel, max_bytes)
    elif op == "write":
        write(rel, max_bytes)
    elif op == "mkdir":
        mkdir(rel)
    elif op == "move":
        move(rel, request["to"])
    elif op == "delete":
        delete(rel)
    elif op == "tree":
        tree(int(request.get("maxEntries", 2000)))
    fail("BAD_REQUEST", f"unknown operation {op}")


main()
