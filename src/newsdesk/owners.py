"""Who holds a lease: a process named so that another process on the same host can
tell it is gone.

A lease (a source's run, a batch of alerts being sent) names its owner as
``host:pid:start:tag`` — the process's start time (Linux's ``/proc``) tells a pid
reused after a restart from the process that took the lease. A lease of a dead
process on this host is taken over at once; on another host it runs out as before
(nothing here can see that host's processes).
"""

from __future__ import annotations

import functools
import os
import socket
import uuid

__all__ = ["is_dead", "me", "owner"]


def _start_time(pid: int) -> str:
    """The process's start (clock ticks since boot), or "0" where /proc cannot say."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            text = stat.read()
    except OSError:
        return "0"
    fields = text.rpartition(")")[2].split()  # the command name may hold spaces and parentheses
    return fields[19] if len(fields) > 19 else "0"


@functools.cache
def _identity(pid: int) -> str:
    return f"{socket.gethostname()}:{pid}:{_start_time(pid)}"


def me() -> str:
    """This process: ``host:pid:start``."""
    return _identity(os.getpid())


def owner() -> str:
    """A new lease owner of this process: ``host:pid:start:tag``."""
    return f"{me()}:{uuid.uuid4().hex[:8]}"


def is_dead(holder: str | None) -> bool:
    """Whether ``holder`` (an :func:`owner` or :func:`me`) names a process of this host
    that is gone, or a pid now used by another process. Holders of other hosts, or in
    another form, are never judged dead here."""
    if not holder:
        return False
    parts = holder.split(":")
    if len(parts) < 3 or parts[0] != socket.gethostname() or not parts[1].isdigit():
        return False
    pid = int(parts[1])
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except (PermissionError, OSError):
        return False  # alive, another user's
    started = parts[2] if len(parts) >= 4 else "0"  # the older host:pid:tag form has no start
    return started != "0" and _start_time(pid) not in ("0", started)
