"""The Ray executor: work units answered by Ray actors, on one machine or a cluster.

Each worker is an actor that loads the backend once (``num_gpus=gpus_per_worker``, one engine
per GPU: vLLM's data-parallel mode) and answers the units it is handed; a unit's audio travels
as the collection's FLAC bytes, so workers need no shared filesystem. The driver keeps about two
units per worker in flight and is the only writer. An actor that dies is restarted and its unit
retried (:data:`MAX_RESTARTS`, :data:`MAX_TASK_RETRIES`): a unit is written only once its whole
answer is back, so a death loses nothing and duplicates nothing.

A whole-collection backend (a cross-validated baseline answers every clip in one call) runs in
the driver. Needs the ``ray`` extra (``pip install 'cameo-bench[ray]'``).
"""

from __future__ import annotations

import platform
import threading
from collections.abc import Iterator
from typing import Any

from cameo_bench.backends.base import Backend
from cameo_bench.errors import CameoError, MissingDependencyError
from cameo_bench.evaluation.executors.base import (
    BackendInfo,
    BackendLoader,
    Executor,
    batch_size_for,
)
from cameo_bench.evaluation.loop import LoopState, UnitAnswerer, UnitResult
from cameo_bench.evaluation.manifest import hardware
from cameo_bench.evaluation.units import UnitWork
from cameo_bench.prompts import PromptTemplate

__all__ = ["MAX_RESTARTS", "MAX_TASK_RETRIES", "RayExecutor", "RayWorker", "create"]

#: Times a dead worker is restarted (it reloads the backend) before the run stops.
MAX_RESTARTS = 3
#: Times a unit whose worker died is handed out again before the run stops.
MAX_TASK_RETRIES = 3
#: Units in flight per worker: one being answered, one waiting, so no worker idles.
IN_FLIGHT_PER_WORKER = 2
#: Seconds between checks for Ctrl-C while waiting on workers.
_POLL = 0.5


def _ray():
    try:
        import ray
    except ModuleNotFoundError:
        raise MissingDependencyError("ray", "ray", "--executor ray runs its workers on Ray") \
            from None
    return ray


class RayWorker:
    """One worker (run as a Ray actor): its backend, loaded once, answering whole units.

    It runs :data:`IN_FLIGHT_PER_WORKER` calls at a time (a threaded actor): while one unit is
    with the model, the next is decoded; the model answers one unit at a time."""

    def __init__(self, loader: BackendLoader, prompt: PromptTemplate, batch_size: int | None):
        self.backend = loader()
        self.info = BackendInfo.of(self.backend)
        self.answerer = UnitAnswerer(self.backend, prompt)
        self.state = LoopState(batch_size=batch_size_for(batch_size, self.info))
        self.model_lock = threading.Lock()

    def describe(self) -> tuple[BackendInfo, dict[str, Any]]:
        """The backend's facts and where this worker runs (node, hardware, accelerators)."""
        ray = _ray()
        context = ray.get_runtime_context()
        where = {"node_id": context.get_node_id(), "host": platform.node(),
                 "accelerators": {k: list(v) for k, v
                                  in sorted(context.get_accelerator_ids().items()) if v},
                 **hardware()}
        return self.info, where

    def answer(self, work: UnitWork) -> UnitResult:
        """Decode one unit, then answer it when the model is free (its rows in one result)."""
        prepared = self.answerer.prepare(work)
        with self.model_lock:
            (result,) = self.answerer.answer(prepared, self.state)
        return result

    def close(self) -> None:
        """Release the backend."""
        self.backend.close()


class RayExecutor(Executor):
    """Answers units on ``workers`` Ray actors; see the module docstring."""

    name = "ray"

    def __init__(self, workers: int | None, address: str | None, gpus_per_worker: float | None,
                 cpus_per_worker: float):
        self.workers, self.address = workers, address
        self.gpus_per_worker, self.cpus_per_worker = gpus_per_worker, cpus_per_worker
        self.actors: list[Any] = []
        self.places: list[dict[str, Any]] = []
        self.loader: BackendLoader | None = None
        self.local: Backend | None = None
        self._notes: dict[str, None] = {}
        self._owns_ray = False

    def _connect(self) -> None:
        ray = _ray()
        if not ray.is_initialized():
            try:
                ray.init(address=self.address, include_dashboard=False, log_to_driver=False,
                         logging_level="WARNING")
            except ConnectionError as exc:
                raise CameoError(f"cannot reach the Ray cluster at {self.address}: {exc}; "
                                 "start it with `ray start --head` or check -O ray_address"
                                 ) from None
            self._owns_ray = True
        resources = ray.cluster_resources()
        cpus, gpus = resources.get("CPU", 0.0), resources.get("GPU", 0.0)
        if self.gpus_per_worker is None:
            self.gpus_per_worker = 1.0 if gpus else 0.0
        if self.workers is None:
            per, have = ((self.gpus_per_worker, gpus) if self.gpus_per_worker
                         else (self.cpus_per_worker, cpus))
            self.workers = (int(have // per) if per else 1) or 1
        need_cpus = self.workers * self.cpus_per_worker
        need_gpus = self.workers * self.gpus_per_worker
        if need_cpus > cpus or need_gpus > gpus:
            raise CameoError(
                f"the Ray cluster has {cpus:g} CPUs and {gpus:g} GPUs: {self.workers} workers of "
                f"{self.cpus_per_worker:g} CPU and {self.gpus_per_worker:g} GPU each do not fit; "
                "lower --workers or -O cpus_per_worker / -O gpus_per_worker")

    def _start(self, loader: BackendLoader, prompt: PromptTemplate,
               batch_size: int | None) -> Any:
        ray = _ray()
        actor = ray.remote(RayWorker).options(
            num_cpus=self.cpus_per_worker, num_gpus=self.gpus_per_worker,
            max_restarts=MAX_RESTARTS, max_task_retries=MAX_TASK_RETRIES,
            max_concurrency=IN_FLIGHT_PER_WORKER,
        ).remote(loader, prompt, batch_size)
        self.actors.append(actor)
        return actor.describe.remote()

    def open(self, loader: BackendLoader, prompt: PromptTemplate,
             batch_size: int | None) -> BackendInfo:
        """Connect to Ray (``ray_address``; a local instance when none is given), start the
        workers (they load the backend in parallel) and learn the backend from them; a
        whole-collection backend is then loaded in the driver instead."""
        self._connect()
        self.loader = loader
        started = [self._start(loader, prompt, batch_size) for _ in range(self.workers)]
        described = [self._get(ref, "starting") for ref in started]
        info = described[0][0]
        if info.whole_collection:
            self.close_workers()
            self._notes[f"{info.model_id} answers every clip in one call: it ran in the driver, "
                        "not on Ray workers"] = None
            return info
        self.places = [place for _, place in described]
        return info

    def _get(self, ref: Any, doing: str) -> Any:
        """``ray.get`` with the worker's own error: a :class:`CameoError` raised in a worker is
        raised here as it is, a worker lost for good becomes one line."""
        ray = _ray()
        try:
            return ray.get(ref)
        except ray.exceptions.RayTaskError as exc:
            if isinstance(exc.cause, CameoError):
                raise exc.cause from None
            raise
        except ray.exceptions.RayActorError as exc:
            detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise CameoError(f"a Ray worker died while {doing} and was not brought back "
                             f"({MAX_RESTARTS} restarts, {MAX_TASK_RETRIES} retries per unit): "
                             f"{detail}") from None

    def answer(self, works: Iterator[UnitWork], state: LoopState) -> Iterator[UnitResult]:
        """Hand units to the least busy worker, at most :data:`IN_FLIGHT_PER_WORKER` each, and
        yield them as they finish; after ``state.stop`` the units in flight are finished."""
        ray = _ray()
        works = iter(works)
        load = [0] * len(self.actors)
        in_flight: dict[Any, tuple[int, int]] = {}
        more = True
        while True:
            while more and not state.stop.is_set() and len(in_flight) < IN_FLIGHT_PER_WORKER * \
                    len(self.actors):
                work = next(works, None)
                if work is None:
                    more = False
                    break
                k = load.index(min(load))
                in_flight[self.actors[k].answer.remote(work)] = (k, work.unit.index)
                load[k] += 1
            if not in_flight:
                return
            ready, _ = ray.wait(list(in_flight), num_returns=1, timeout=_POLL)
            if not ready:
                continue
            k, index = in_flight.pop(ready[0])
            load[k] -= 1
            result: UnitResult = self._get(ready[0], f"answering unit {index}")
            state.count(len(result.rows), result.failed, result.audio_seconds)
            state.batch_size = min(state.batch_size, result.batch_size)
            self._notes.update(dict.fromkeys(result.notes))
            yield result

    def driver_backend(self) -> Backend:
        """The backend loaded in the driver (for a whole-collection backend)."""
        assert self.loader is not None, "open() first"
        if self.local is None:
            self.local = self.loader()
        return self.local

    def facts(self) -> dict[str, Any]:
        """The workers and, per node, how many ran there and on what hardware."""
        nodes: dict[str, dict[str, Any]] = {}
        for place in self.places:
            node = nodes.setdefault(place["node_id"], {
                "node_id": place["node_id"], "host": place["host"],
                "platform": place["platform"], "cpus": place["cpus"], "gpus": place["gpus"],
                "workers": 0, "accelerators": []})
            node["workers"] += 1
            node["accelerators"].append(place["accelerators"])
        return {"name": self.name, "workers": len(self.places), "address": self.address,
                "cpus_per_worker": self.cpus_per_worker,
                "gpus_per_worker": self.gpus_per_worker,
                "nodes": sorted(nodes.values(), key=lambda n: (n["host"], n["node_id"]))}

    def notes(self) -> tuple[str, ...]:
        """The remarks the workers' backends made, once each."""
        local = tuple(self.local.notes) if self.local is not None else ()
        return tuple(self._notes) + local

    def close_workers(self) -> None:
        """Stop the workers (their backends go with their processes)."""
        if self.actors:
            ray = _ray()
            for actor in self.actors:
                ray.kill(actor, no_restart=True)
            self.actors = []

    def close(self) -> None:
        """Stop the workers, close a driver backend, leave a Ray instance this run started."""
        self.close_workers()
        if self.local is not None:
            self.local.close()
            self.local = None
        if self._owns_ray:
            _ray().shutdown()
            self._owns_ray = False


def create(workers: int | None = None, *, ray_address: str | None = None,
           gpus_per_worker: float | None = None, cpus_per_worker: float = 1.0) -> RayExecutor:
    """The Ray executor: ``workers`` actors (default: one per GPU of the cluster, else one per
    CPU), each with ``gpus_per_worker`` GPUs (default 1 when the cluster has GPUs, else 0) and
    ``cpus_per_worker`` CPUs, on the cluster at ``ray_address`` (``auto``, ``HOST:PORT``; none:
    a Ray instance started on this machine for the run)."""
    if workers is not None and workers < 1:
        raise CameoError(f"--workers must be at least 1, got {workers}")
    if (gpus_per_worker or 0) < 0 or cpus_per_worker < 0:
        raise CameoError("-O gpus_per_worker and -O cpus_per_worker cannot be negative")
    return RayExecutor(workers, ray_address, gpus_per_worker, cpus_per_worker)
