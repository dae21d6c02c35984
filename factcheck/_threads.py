"""Thread-count settings of BLAS and OpenMP, changed only inside factcheck's calls.

factcheck runs its own worker threads (similarity blocks, embedding batches)
and wants each to compute on one core. How that is done without changing the
host program's settings depends on the library:

- OpenMP runtimes (torch's intra-op threads, an OpenMP build of OpenBLAS)
  keep their thread count per thread: :func:`one_openmp_thread` sets it to
  one in the calling thread only, and factcheck calls it only at the start of
  its own worker threads, which end with the call. Nothing else changes.
- A pthreads build of OpenBLAS (numpy's wheels), MKL's global setting and
  BLIS keep one count for the whole process. :func:`single_threaded_blas` sets
  it to one while at least one factcheck call is inside it and sets it back to
  the exact value it had when the first of the overlapping calls entered, when
  the last one leaves, whether they return or raise, from whichever threads.
  (Two overlapping ``threadpoolctl.threadpool_limits`` contexts cannot do
  that: each restores what it saw on entry, so the one that entered second
  restores the first one's limit.) A value the host program set meanwhile is
  left alone. While such a call runs, numpy operations of other threads of the
  host also run on one BLAS thread.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import Any

__all__ = ["OpenMPRuntimes", "blas_threads", "one_openmp_thread", "single_threaded_blas"]

_LOCK = threading.Lock()
_USERS = 0
_SAVED: list[tuple[Any, int]] = []


def _controllers(user_api: str) -> list[Any]:
    from threadpoolctl import ThreadpoolController

    return list(ThreadpoolController().select(user_api=user_api).lib_controllers)


def _release(lib: Any) -> None:
    """Let other threads set this library's limit again (threadpoolctl >= 3.8 lets
    only one thread at a time set OpenBLAS's process-wide limit)."""
    clear = getattr(type(lib), "clear_controlling_thread", None)
    if clear is not None:
        clear()


def _per_thread(lib: Any) -> bool:
    return getattr(lib, "threading_layer", None) == "openmp"


def blas_threads() -> dict[str, int]:
    """The thread count of each loaded BLAS library, by file path."""
    return {str(lib.filepath): int(lib.get_num_threads()) for lib in _controllers("blas")}


@contextlib.contextmanager
def single_threaded_blas() -> Iterator[None]:
    """Process-wide BLAS libraries at one thread while inside; exactly restored after.

    Overlapping uses from several threads share one change: the first to enter
    records each library's count and sets it to 1, the last to leave sets back
    every count that is still 1 (one the host changed meanwhile is its own).
    Libraries whose count is per thread (OpenMP builds) are left alone here;
    workers call :func:`one_openmp_thread` for those.
    """
    global _USERS, _SAVED
    with _LOCK:
        if _USERS == 0:
            saved: list[tuple[Any, int]] = []
            for lib in _controllers("blas"):
                if _per_thread(lib):
                    continue
                before = lib.get_num_threads()
                if before is None or before == 1:
                    continue
                lib.set_num_threads(1)
                if lib.get_num_threads() == 1:
                    saved.append((lib, int(before)))
                _release(lib)
            _SAVED = saved
        _USERS += 1
    try:
        yield
    finally:
        with _LOCK:
            _USERS -= 1
            if _USERS == 0:
                for lib, before in _SAVED:
                    if lib.get_num_threads() == 1:
                        lib.set_num_threads(before)
                    _release(lib)
                _SAVED = []


class OpenMPRuntimes:
    """The OpenMP runtimes loaded now (found once per use, in the calling thread)."""

    def __init__(self) -> None:
        self.libs = _controllers("openmp") + [
            lib for lib in _controllers("blas") if _per_thread(lib)
        ]


def one_openmp_thread(found: OpenMPRuntimes | None = None) -> bool:
    """Set the calling thread's OpenMP thread count to 1; True if every runtime took it.

    Only for factcheck's own worker threads: the count is per thread, so the
    host's threads keep theirs, and it ends with the worker. torch reads its
    own setting into a thread on first use, so that is done first, and
    ``torch.set_num_threads`` (which would change the default for every thread
    created later) is never called.
    """
    import sys

    torch = sys.modules.get("torch")
    if torch is not None:
        torch.get_num_threads()  # torch initialises this thread's count from its default
    libs = (found or OpenMPRuntimes()).libs
    for lib in libs:
        lib.set_num_threads(1)
    if torch is not None:
        return bool(torch.get_num_threads() == 1)
    return all(lib.get_num_threads() == 1 for lib in libs)
