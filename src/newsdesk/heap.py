"""Long-lived objects set aside from the garbage collector's full passes.

A full pass walks every tracked object alive. A process that holds much for long — a
worker's models, an import's tables, a served ranking of tens of thousands of articles —
pays that walk again and again while its requests or records make garbage: a 50 ms
pause in a served answer, seconds of an import. Frozen, those objects are left out of
the passes; reference counting still frees them.
"""

from __future__ import annotations

import gc

__all__ = ["release", "set_aside"]


def set_aside() -> None:
    """Collect, then freeze what is alive now. What an earlier call froze is collected
    first (it may be garbage by now: a replaced ranking's cycles are not kept forever)."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def release() -> None:
    """Give everything frozen back to the collector (an import that ends)."""
    gc.unfreeze()
