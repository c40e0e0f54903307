"""Scale-out: papers processed by Ray actors, on this machine or on a Ray cluster.

``python cli.py run --engine ray`` hands each paper to one of ``--workers`` Ray actors.
Each actor builds the pipeline once (like a local worker process) and processes one paper
at a time; the driver keeps the same contract as the local engine in
:mod:`pipeline.batch`: a paper over ``paper_timeout`` seconds or one that kills its actor
becomes one error row, a fresh actor takes the rest, and every finished paper is stored
(so an interrupted run resumes) by the ``record`` callback the batch passes in.

Without ``--ray-address`` a private single-machine Ray instance is started for the run and
stopped after it. With an address (``auto`` or ``ray://host:10001``) the run joins that
cluster; every node then needs the project (same path, or installed) and the input files
at the same paths, as with any shared-filesystem Ray deployment.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from pathlib import Path

from pipeline.batch import lost_paper
from pipeline.config import ROOT, Config

# Object store of the private instance: papers' rows travel through it, one at a time per
# actor (a few MB); Ray's default would reserve 30% of the machine's memory.
LOCAL_OBJECT_STORE_BYTES = 128 * 1024**2
# How long the driver waits for a new actor to build its pipeline (rules, jieba, model).
ACTOR_START_SECONDS = 300.0


class PaperActor:
    """Holds one built pipeline; ``process`` runs one paper (see ``batch._process``)."""

    def __init__(self, config: Config) -> None:
        import pipeline
        from pipeline import batch

        batch._quiet_libraries()
        self.pipe = pipeline.build(config)
        batch.warm_up(self.pipe)

    def ready(self) -> bool:
        return True

    def process(self, path: str, doc_id: str, sha: str) -> tuple:
        from pipeline import batch

        return batch._process(self.pipe, Path(path), doc_id, sha)


def _worker_pythonpath() -> str:
    """The driver's import path, so actors import the same ``pipeline`` (and test stages)."""
    parts = [str(ROOT)] + [p for p in sys.path if p and Path(p).is_dir()]
    return os.pathsep.join(dict.fromkeys(parts))


def run_ray(config: Config, todo: list[tuple], record) -> None:
    """Process ``todo`` [(path, doc_id, sha)] on Ray actors, calling ``record(*task, outcome)``.

    Args:
        config: run settings; ``workers`` actors, ``paper_timeout`` seconds a paper (0: none),
            ``ray_address`` None for a private local instance.
        todo: the papers still to do.
        record: called in the driver for every paper, in completion order.

    Raises:
        RuntimeError: an actor cannot build the pipeline (so no paper could be processed).
    """
    try:
        import ray
        from ray.exceptions import GetTimeoutError, RayActorError, RayTaskError
    except ImportError as exc:
        raise RuntimeError("--engine ray needs the ray package: pip install -e '.[scale]'") from exc

    started_here = not ray.is_initialized()
    if started_here:
        options = dict(include_dashboard=False, log_to_driver=False, logging_level=logging.ERROR,
                       runtime_env={"env_vars": {"PYTHONPATH": _worker_pythonpath()}})
        if config.ray_address:
            ray.init(address=config.ray_address, **options)
        else:
            ray.init(num_cpus=config.workers, object_store_memory=LOCAL_OBJECT_STORE_BYTES, **options)
    remote_actor = ray.remote(num_cpus=1, max_restarts=0, max_task_retries=0)(PaperActor)

    def new_actor():
        actor = remote_actor.remote(config)
        try:
            ray.get(actor.ready.remote(), timeout=ACTOR_START_SECONDS)
        except (RayActorError, RayTaskError, GetTimeoutError) as exc:
            ray.kill(actor)
            raise RuntimeError(f"a Ray actor could not build the pipeline: {str(exc).splitlines()[0]}") from exc
        return actor

    pending = list(todo)
    actors: list = []
    running: dict = {}  # object ref -> (actor slot, task, deadline)

    def submit(slot: int) -> None:
        task = pending.pop(0)
        deadline = time.monotonic() + config.paper_timeout if config.paper_timeout else float("inf")
        running[actors[slot].process.remote(*map(str, task))] = (slot, task, deadline)

    try:
        actors = [new_actor() for _ in range(min(config.workers, len(todo)))]
        for slot in range(len(actors)):
            if pending:
                submit(slot)
        while running:
            wait_s = max(0.05, min(d for _, _, d in running.values()) - time.monotonic())
            done, _ = ray.wait(list(running), num_returns=1, timeout=min(wait_s, 5.0))
            for ref in done:
                slot, task, _ = running.pop(ref)
                try:
                    outcome = ray.get(ref)
                except (RayActorError, RayTaskError) as exc:
                    outcome = lost_paper(config, task, f"worker process died ({type(exc).__name__})")
                    ray.kill(actors[slot])
                    actors[slot] = new_actor()
                record(*task, outcome)
                if pending:
                    submit(slot)
            now = time.monotonic()
            for ref, (slot, task, deadline) in list(running.items()):
                if now > deadline:
                    running.pop(ref)
                    ray.kill(actors[slot])
                    actors[slot] = new_actor()
                    record(*task, lost_paper(config, task, f"timeout: gave up after {config.paper_timeout:.0f} s"))
                    if pending:
                        submit(slot)
    finally:
        for actor in actors:
            ray.kill(actor)
        if started_here:
            ray.shutdown()
