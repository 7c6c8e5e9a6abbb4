#!/usr/bin/env python3
"""Runs a command in a real terminal (a pty) and answers its prompts, as a person at a keyboard.

Reads a JSON object on standard input, so that answers (which may be secrets) are never on a
command line or in a file: {"command": [...], "env": {...}, "steps": [[expect, answer], ...],
"timeout": seconds}. A step may carry a third element, seconds to wait before typing (a person is
slower than a program: the prompt is on the screen a moment before its reader starts). Each answer is typed once the screen shows its expected text. Everything the
terminal showed is written to standard output; the exit code is the command's, or 124 when an
expected text did not appear in time.
"""
import json
import os
import pty
import select
import sys
import time


def main() -> int:
    spec = json.load(sys.stdin)
    env = dict(os.environ)
    for name, value in spec.get("env", {}).items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    deadline = time.monotonic() + float(spec.get("timeout", 60))
    pid, fd = pty.fork()
    if pid == 0:
        os.execvpe(spec["command"][0], spec["command"], env)
    screen = b""

    def read_some() -> bool:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if not ready:
            return True
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            return False
        nonlocal screen
        screen += chunk
        # .NET's console asks where the cursor is (ESC [6n) and waits: answer as a terminal would.
        for _ in range(chunk.count(b"\x1b[6n")):
            os.write(fd, b"\x1b[1;1R")
        return bool(chunk)

    cursor = 0
    for step in spec.get("steps", []):
        expect, answer = step[0], step[1]
        while screen.find(expect.encode(), cursor) < 0:
            if time.monotonic() > deadline or not read_some():
                sys.stdout.write(screen.decode("utf-8", "replace"))
                sys.stdout.write(f"\n[pty_session: '{expect}' did not appear]\n")
                return 124
        cursor = screen.find(expect.encode(), cursor) + len(expect)
        pause_until = time.monotonic() + (float(step[2]) if len(step) > 2 else 0)
        while time.monotonic() < pause_until and read_some():
            pass
        for key in answer:  # one key at a time, as typed
            os.write(fd, key.encode())
            read_some()
    while time.monotonic() < deadline and read_some():
        pass
    # A command still running at the deadline is stuck (at a prompt nobody answers): kill it
    # rather than wait for ever, and say so.
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
            sys.stdout.write(screen.decode("utf-8", "replace"))
            sys.stdout.write("\n[pty_session: the command was still running at the deadline and was killed]\n")
            return 124
        read_some()
    sys.stdout.write(screen.decode("utf-8", "replace"))
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    sys.exit(main())
