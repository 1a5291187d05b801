"""Dask worker set-up for :func:`claimcmp.compare_many`: torch threads per worker, models loaded once."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlparse

from distributed import WorkerPlugin

log = logging.getLogger(__name__)


def slots_by_host(client: Any) -> dict[str, int]:
    """Task slots (worker threads, summed over worker processes) on each host of the cluster."""
    slots: dict[str, int] = {}
    for addr, info in client.scheduler_info(n_workers=-1)["workers"].items():
        host = urlparse(addr).hostname or addr
        slots[host] = slots.get(host, 0) + int(info.get("nthreads", 1))
    return slots


def preload_models(comparator: Any) -> list[str]:
    """Load the comparator's embedding and NLI models into this process; returns their names."""
    from claimcmp.model_registry import load_sentence_transformer, load_sequence_classifier
    from claimcmp.stages.embed import SentenceEmbedder
    from claimcmp.stages.nli import NLIJudge

    st = comparator.stages()
    loaded = []
    if isinstance(st["embedder"], SentenceEmbedder):
        load_sentence_transformer(st["embedder"].model_name, st["embedder"].device)
        loaded.append(st["embedder"].model_name)
    if isinstance(st["nli"], NLIJudge):
        load_sequence_classifier(st["nli"].model_name, st["nli"].device)
        loaded.append(st["nli"].model_name)
    return loaded


class ClaimcmpWorkerPlugin(WorkerPlugin):  # type: ignore[misc]
    """A Dask worker plugin: torch threads = cores / task slots on the host, then the models load once."""

    def __init__(self, comparator: Any, slots: dict[str, int]) -> None:
        self.comparator = comparator
        self.slots = slots

    def setup(self, worker: Any) -> None:
        from claimcmp.runtime import configure_threads

        host = urlparse(worker.address).hostname or worker.address
        n = configure_threads(workers=max(1, self.slots.get(host, int(getattr(worker, "state", worker).nthreads))))
        names = preload_models(self.comparator)
        log.info("worker %s: %d torch thread(s), models %s loaded", worker.address, n, names)

