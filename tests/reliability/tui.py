"""The real aipm in a detached tmux session, for the reliability tests that
need the TUI (as tests/e2e/lib.sh does for the end-to-end suite)."""

import os
import shlex
import shutil
import subprocess
import time


def available():
    return shutil.which("tmux") is not None


class Session:
    def __init__(self, argv, env, size=(80, 24), wrapper=()):
        """argv: the aipm command line; wrapper: a command put before it
        (setpriv to drop to another user). The pane prints
        "[aipm exited] STATUS" when aipm ends."""
        self.socket = f"aipm-rel-{os.getpid()}-{time.monotonic_ns()}"
        inner = " ".join(shlex.quote(a) for a in list(wrapper) + ["env"] +
                         [f"{k}={v}" for k, v in env.items()] + list(argv))
        self._tmux("new-session", "-d", "-s", "t", "-x", str(size[0]), "-y", str(size[1]),
                   f"{inner}; echo '[aipm exited]' $?; sleep 60")

    def _tmux(self, *args):
        return subprocess.run(["tmux", "-L", self.socket] + list(args), capture_output=True,
                              text=True)

    def keys(self, *keys):
        self._tmux("send-keys", "-t", "t", *keys)

    def text(self, s):
        self._tmux("send-keys", "-t", "t", "-l", s)

    def screen(self):
        return self._tmux("capture-pane", "-p", "-t", "t").stdout

    def wait_for(self, text, timeout=10):
        """True once the pane shows text (within timeout seconds)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.screen():
                return True
            time.sleep(0.1)
        return False

    def quit(self):
        """Presses q until aipm exits (it goes back screen by screen, and
        home asks "Quit aipm?", answered y); returns its exit status, or
        None when it did not exit."""
        for _ in range(10):
            shown = self.screen()
            if "[aipm exited]" in shown:
                break
            self.keys("y" if "Quit aipm?" in shown else "q")
            time.sleep(0.3)
        if not self.wait_for("[aipm exited]"):
            return None
        line = [l for l in self.screen().splitlines() if "[aipm exited]" in l][0]
        return int(line.split()[-1])

    def close(self):
        self._tmux("kill-server")
