"""Helpers shared by the benchmark sections: the eval-data root, timing, machine description."""

from __future__ import annotations

import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

REPO_ROOT = Path(__file__).resolve().parent.parent
T = TypeVar("T")

# One definition of where the shared evaluation data lives and of the error raised when it is absent:
# the recipe's readers (models/recipes/nli_data.py), used by the recipes and the benchmarks alike.
if str(REPO_ROOT / "models" / "recipes") not in sys.path:
    sys.path.insert(0, str(REPO_ROOT / "models" / "recipes"))
from nli_data import EvalDataMissing, eval_root  # noqa: E402


def eval_path(rel: str) -> Path:
    """Path of one shared evaluation file; raises :class:`EvalDataMissing` naming it when absent."""
    p = eval_root() / rel
    if not p.is_file():
        raise EvalDataMissing(
            f"evaluation file missing: {p}. The benchmarks read ../shared/eval/ beside the repository "
            "(or $CLAIMCMP_EVAL_DIR); the data is not shipped with claimcmp."
        )
    return p


def eval_available() -> bool:
    """Whether the shared evaluation folder exists at all."""
    return eval_root().is_dir()


@dataclass
class Section:
    """What one benchmark section produces: markdown tables and notes, plus raw numbers."""

    name: str
    title: str
    markdown: list[str] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0

    def add(self, text: str) -> None:
        self.markdown.append(text)

    def table(self, header: Sequence[str], rows: Sequence[Sequence[Any]], note: str | None = None) -> None:
        self.markdown.append(md_table(header, rows))
        if note:
            self.markdown.append(note)


def fmt(x: Any, nd: int = 3) -> str:
    """A table cell: floats rounded, None as an em dash."""
    if x is None:
        return "—"
    if isinstance(x, bool):
        return "yes" if x else "no"
    if isinstance(x, float):
        if x != x:  # nan
            return "—"
        if abs(x) >= 1000:
            return f"{x:,.0f}"
        if abs(x) >= 100:
            return f"{x:.1f}"
        return f"{x:.{nd}f}"
    if isinstance(x, int):
        return f"{x:,}"
    return str(x)


def md_table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A GitHub-flavoured markdown table."""
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    for r in rows:
        out.append("| " + " | ".join(fmt(c) for c in r) + " |")
    return "\n".join(out)


def timed(fn: Callable[[], T]) -> tuple[T, float]:
    """``fn()`` and the wall-clock seconds it took."""
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def median_time(fn: Callable[[], Any], repeats: int = 3) -> tuple[float, list[float]]:
    """Median wall-clock seconds of ``repeats`` calls of ``fn``, and all the times."""
    times = [timed(fn)[1] for _ in range(repeats)]
    return statistics.median(times), times


def peak_rss_mib() -> float:
    """Peak resident set size of this process so far, in MiB.

    Reads ``VmHWM`` from /proc/self/status: unlike ``ru_maxrss``, it is not inherited from the parent
    across fork + exec, so a worker started from a big process reports only its own peak.
    Falls back to ``ru_maxrss`` (KiB on Linux) where /proc is absent.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _run(cmd: list[str]) -> str:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=20, check=False).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def _version(dist: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(dist)
    except PackageNotFoundError:
        return "not installed"


def machine() -> dict[str, str]:
    """CPU count, model, memory and software versions (from package metadata: nothing heavy is imported)."""
    lscpu = {}
    for line in _run(["lscpu"]).splitlines():
        if ":" in line:
            k, v = line.split(":", 1)
            lscpu[k.strip()] = v.strip()
    free = _run(["free", "-h"]).splitlines()
    mem = free[1].split()[1] if len(free) > 1 and len(free[1].split()) > 1 else "?"
    flags = lscpu.get("Flags", "")
    versions = ", ".join(f"{d} {_version(d)}" for d in ("claimcmp", "torch", "transformers", "sentence-transformers",
                                                        "scikit-learn", "scipy", "numpy", "pandas", "pysbd", "spacy"))
    return {
        "nproc": _run(["nproc"]) or str(os.cpu_count()),
        "cpu": f"{lscpu.get('Model name', platform.processor())} ({lscpu.get('Architecture', platform.machine())}, "
               f"{lscpu.get('Core(s) per socket', '?')} cores/socket, {lscpu.get('Thread(s) per core', '?')} "
               f"thread/core, {lscpu.get('Hypervisor vendor', 'bare metal')}"
               f"{', avx512_bf16' if 'avx512_bf16' in flags else ''}{', amx' if 'amx' in flags else ''})",
        "memory": mem,
        "os": platform.platform(),
        "python": platform.python_version(),
        "versions": versions,
        "executable": sys.executable,
    }
