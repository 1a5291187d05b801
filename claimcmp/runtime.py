"""CPU runtime settings for the models: torch threads and OpenMP wait policy, set once per process.

Two things make the models slow on a CPU that other work shares: more torch threads than free
cores (threads wait on each other), and OpenMP threads that spin while they wait, burning the
cores another process needs. :func:`prepare_environment` asks OpenMP not to spin (it must run
before torch is imported, so ``import claimcmp`` calls it); :func:`configure_threads` sets torch's
intra-op threads to the cores that are free (or to ``cores / workers`` on a Dask worker).
Both respect what the user has already set: ``OMP_WAIT_POLICY`` / ``OMP_NUM_THREADS`` /
``CLAIMCMP_THREADS`` in the environment, or an explicit ``configure_threads(n)``.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

from claimcmp.errors import ParameterError

log = logging.getLogger(__name__)

#: Environment variables that stop OpenMP threads spinning while they wait (GNU and Intel OpenMP).
PASSIVE_WAIT_ENV = {"OMP_WAIT_POLICY": "PASSIVE", "KMP_BLOCKTIME": "0"}

_state: dict[str, Any] = {"threads": None, "source": None}


def prepare_environment() -> bool:
    """Ask OpenMP not to spin-wait, unless the user chose a policy; True if torch was not yet imported.

    OpenMP reads these variables when torch loads, so after ``import torch`` this has no effect
    (it still returns False and changes nothing).
    """
    if "torch" in sys.modules:
        return False
    for key, value in PASSIVE_WAIT_ENV.items():
        os.environ.setdefault(key, value)
    return True


def cpu_count() -> int:
    """Cores this process may run on (its CPU affinity), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not Linux
        return max(1, os.cpu_count() or 1)


def free_cores() -> int:
    """Cores not busy with other work: affinity cores minus the 1-minute load average, at least 1."""
    cores = cpu_count()
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):
        return cores
    return max(1, min(cores, int(cores - load + 0.5)))


def default_threads(workers: int = 1) -> tuple[int, str]:
    """The torch thread count to use and why: an env override, ``cores / workers``, or the free cores."""
    # a Dask nanny sets OMP_NUM_THREADS=1 for its workers, so with workers > 1 only $CLAIMCMP_THREADS counts
    for var in ("CLAIMCMP_THREADS", "OMP_NUM_THREADS") if workers == 1 else ("CLAIMCMP_THREADS",):
        value = os.environ.get(var, "").strip()
        if value:
            try:
                n = int(value)
            except ValueError:
                raise ParameterError(f"${var} must be a whole number of threads, got {value!r}.") from None
            if n < 1:
                raise ParameterError(f"${var} must be >= 1, got {n}.")
            return n, f"${var}"
    if workers > 1:
        return max(1, cpu_count() // workers), f"{cpu_count()} cores / {workers} workers"
    return free_cores(), f"free cores ({cpu_count()} cores, load {_load():.1f})"


def _load() -> float:
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return 0.0


def configure_threads(threads: int | None = None, workers: int = 1) -> int:
    """Set torch's intra-op threads (``None``: :func:`default_threads`); returns the number set."""
    import torch

    if threads is not None and (not isinstance(threads, int) or threads < 1):
        raise ParameterError(f"threads must be a whole number >= 1, got {threads!r}.")
    if workers < 1:
        raise ParameterError(f"workers must be >= 1, got {workers!r}.")
    n, source = (threads, "explicit") if threads is not None else default_threads(workers)
    torch.set_num_threads(n)
    _state.update(threads=n, source=source)
    log.info("torch intra-op threads: %d (%s)", n, source)
    return n


def ensure_configured() -> int:
    """:func:`configure_threads` with the defaults the first time; later calls re-apply that number.

    Re-applying matters on threads other than the first (a Dask worker's task threads): with
    OpenMP the thread count is a per-thread setting.
    """
    import torch

    if _state["threads"] is None:
        return configure_threads()
    n = int(_state["threads"])
    if torch.get_num_threads() != n:
        torch.set_num_threads(n)
    return n


def runtime_info() -> dict[str, Any]:
    """What the models run with: torch threads (and why), the OpenMP wait policy, native bfloat16."""
    import torch

    from claimcmp.stages.nli import cpu_has_native_bf16

    return {"torch_threads": torch.get_num_threads(), "threads_source": _state["source"],
            "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY"), "native_bf16": cpu_has_native_bf16()}
