"""Run ``cameo`` (or any Python code) in a fresh process the way a user's shell would, where
file permissions and resource limits bite.

Root ignores file permissions (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH), so a test that makes a
folder unreadable or an output read-only would prove nothing when the suite runs as root (as in
many containers). :func:`run_cameo` drops those two capabilities from the child's bounding set
before it starts Python: a root child then meets permissions like any user. As another user it
changes nothing.
"""

from __future__ import annotations

import ctypes
import os
import resource
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

__all__ = ["CLI", "run_cameo", "run_python", "signal_mid_build"]

#: Run the command line in a child: ``python -c CLI build ...``.
CLI = "import sys; from cameo_bench.cli.app import main; sys.exit(main())"
_PR_CAPBSET_DROP = 24
_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH = 1, 2


def _as_a_user(file_size_limit: int | None):
    def setup() -> None:
        if os.geteuid() == 0:
            libc = ctypes.CDLL(None, use_errno=True)
            for cap in (_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH):
                if libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
                    raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")
        if file_size_limit is not None:  # EFBIG past the limit, like a disk that fills up
            import signal

            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_size_limit, file_size_limit))

    return setup


def run_python(code: str, args: Sequence[str] = (), *, file_size_limit: int | None = None,
               timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run ``python -c code args`` as an ordinary user (see the module docstring); files it
    writes may not grow past ``file_size_limit`` bytes. Returns the finished process (text)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    return subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True,
                          text=True, timeout=timeout,
                          preexec_fn=_as_a_user(file_size_limit))  # noqa: PLW1509


def run_cameo(*args: str, file_size_limit: int | None = None,
              timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run ``cameo ARGS`` in a child process as an ordinary user (see :func:`run_python`)."""
    return run_python(CLI, [str(a) for a in args], file_size_limit=file_size_limit,
                      timeout=timeout)


def signal_mid_build(code: str, args: Sequence[str], work: Path, sig: int
                     ) -> subprocess.Popen[str]:
    """Start ``python -c code args`` (a build) in its own process group, wait until its first
    converted chunk appears in ``work`` (at most a minute), and send ``sig`` to the whole group,
    as a terminal's Ctrl-C or ``kill -9`` would. Returns the process (stderr piped)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.Popen([sys.executable, "-c", code, *args], env=env, text=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    deadline = time.monotonic() + 60
    while not (work.is_dir() and any(work.glob("*.chunk"))) and time.monotonic() < deadline:
        time.sleep(0.005)
    os.killpg(proc.pid, sig)
    return proc
