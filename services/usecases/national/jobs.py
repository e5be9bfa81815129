"""An uploaded export imported or compared in the background (a county's export takes a
minute): each job a directory of its own under the data directory — the file, its report,
and a status file its progress is written to, so any worker process can answer for it."""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

from services.adapters.eventstore import EventStore
from services.domain.roles import Principal
from services.settings import Settings
from services.usecases.compliance.sweep import today
from services.usecases.errors import NotFound, Refused
from services.usecases.national.comparing import compare_national
from services.usecases.national.importing import import_national

log = logging.getLogger("dixian.national")
KINDS = ("import", "compare", "dry_run")
# A running job says it is alive this often; one silent for STALE_SECONDS died with its
# process (a restart, a killed worker): it is marked interrupted and its upload deleted.
HEARTBEAT_SECONDS = 10.0
STALE_SECONDS = 60.0
UNFINISHED = ("queued", "running")
BATCH = "national-system"
_SAFE = re.compile(r"[^0-9A-Za-z_.\-\u4e00-\u9fff]")


@dataclass(frozen=True, slots=True)
class JobRequest:
    kind: str  # import | compare | dry_run
    filename: str
    content: bytes
    as_of: date | None = None


class JobProgress:
    """What a job's progress objects hear, written to its status file every second."""

    def __init__(self, job: NationalJobs, job_id: UUID, step: str) -> None:
        self.jobs, self.job_id, self.step = job, job_id, step
        self._last = 0.0

    def update(self, done: int, total: int | None = None) -> None:
        now = time.monotonic()
        if now - self._last >= 1.0 or (total is not None and done >= total):
            self._last = now
            self.jobs._write(self.job_id, status="running", step=self.step, done=done, total=total)


class NationalJobs:
    """The jobs of one data directory."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.root = settings.data_dir / "national-jobs"
        self._lock = threading.Lock()  # a job's thread and its heartbeat write one file
        self.reap()

    def reap(self) -> None:
        """Mark every job whose process died interrupted, and delete its upload: the
        export holds every member's ID number and phone (run when the app starts)."""
        if self.root.is_dir():
            for status in self.root.glob("*/status.json"):
                try:
                    self._interrupted(UUID(status.parent.name), json.loads(status.read_text()))
                except ValueError:  # not a job's folder, or a status half written by hand
                    continue

    def _interrupted(self, job_id: UUID, status: dict[str, Any]) -> dict[str, Any]:
        """The status as it stands: an unfinished job silent for too long is interrupted."""
        if status.get("status") not in UNFINISHED:
            return status
        alive = status.get("alive_at") or 0.0
        if time.time() - float(alive) < STALE_SECONDS:
            return status
        for upload in self._dir(job_id).glob("*.xlsx"):  # no report is written before done
            upload.unlink(missing_ok=True)
        status = self._write(
            job_id, status="interrupted", code="INTERRUPTED",
            detail="the process running the job stopped before it ended; upload the file again",
        )  # fmt: skip
        log.warning("national job %s was interrupted (its process stopped)", job_id)
        return status

    def _dir(self, job_id: UUID) -> Path:
        return self.root / str(job_id)

    def _write(self, job_id: UUID, /, **fields: Any) -> dict[str, Any]:
        """The job's status with `fields` set, as written."""
        path = self._dir(job_id) / "status.json"
        with self._lock:
            status = json.loads(path.read_text()) if path.exists() else {}
            status |= fields | {"updated_at": datetime.now(UTC).isoformat()}
            if status.get("status") in UNFINISHED:
                status["alive_at"] = time.time()
            tmp = path.with_suffix(f".{threading.get_ident()}.tmp")
            tmp.write_text(json.dumps(status, ensure_ascii=False, default=str))
            tmp.replace(path)  # a reader sees the old status or the new, never half
        return status  # type: ignore[no-any-return]

    def _heartbeat(self, job_id: UUID, stop: threading.Event) -> None:
        while not stop.wait(HEARTBEAT_SECONDS):
            self._write(job_id)

    def start(self, store: EventStore, who: Principal, request: JobRequest) -> dict[str, Any]:
        if request.kind not in KINDS:
            raise Refused("JOB_KIND_UNKNOWN", f"{request.kind!r}: one of {', '.join(KINDS)}")
        if not request.filename.lower().endswith(".xlsx"):
            raise Refused("EXPORT_NOT_XLSX", "upload the national system's export as .xlsx")
        if request.kind == "import" and self.settings.kafka_bootstrap is None:
            raise Refused("KAFKA_NOT_CONFIGURED", "the import publishes through Kafka")
        job_id = uuid4()
        folder = self._dir(job_id)
        folder.mkdir(parents=True)
        path = folder / (_SAFE.sub("_", Path(request.filename).name)[-100:] or "export.xlsx")
        path.write_bytes(request.content)
        self._write(
            job_id, id=str(job_id), kind=request.kind, by=who.name, scope=who.scope,
            file=path.name, status="queued", as_of=request.as_of,
        )  # fmt: skip
        thread = threading.Thread(
            target=self._run,
            args=(store, job_id, path, who, request),
            name="national-job",
            daemon=True,
        )
        thread.start()
        return self.status(who, job_id)

    def _run(
        self, store: EventStore, job_id: UUID, path: Path, who: Principal, request: JobRequest
    ) -> None:
        reading = JobProgress(self, job_id, "read")
        stop = threading.Event()
        beat = threading.Thread(
            target=self._heartbeat, args=(job_id, stop), name="national-job-alive", daemon=True
        )
        beat.start()
        self._write(job_id, status="running", step="read", done=0)
        try:
            if request.kind == "compare":
                o = compare_national(
                    store, path, request.as_of or today(), None, reading, True, who.scope,
                    who.name, who.role.value,
                )  # fmt: skip
                result = {
                    "households": o.summary.households,
                    "agreeing": o.summary.agreeing,
                    "differences": len(o.findings),
                    "by_field": dict(o.summary.by_field()),
                    "raised": o.raised,
                    "found_again": o.found_again,
                    "resolved": o.resolved,
                }
            else:
                sending = JobProgress(self, job_id, "publish")
                i = import_national(
                    self.settings, store, path, BATCH, request.as_of,
                    request.kind == "dry_run", None, None, reading, sending, who.scope,
                    who.name, who.role.value,
                )  # fmt: skip
                result = {
                    "rows": i.export.rows,
                    "rows_refused": len(i.export.bad),
                    "households_new": i.new,
                    "households_changed": i.changed,
                    "households_unchanged": i.unchanged,
                    "events": i.planned,
                    "published": i.published,
                }
            o_report = (o if request.kind == "compare" else i).report
            self._write(job_id, status="done", result=result, report=o_report.name)
        except Refused as e:
            self._write(job_id, status="refused", code=e.code, detail=e.detail)
        except Exception as e:  # the job fails; the service goes on
            log.exception("national job %s failed", job_id)
            self._write(job_id, status="failed", code="INTERNAL_ERROR", detail=type(e).__name__)
        finally:  # the export holds every member's ID number and phone: kept no longer
            stop.set()
            beat.join()
            path.unlink(missing_ok=True)

    def status(self, who: Principal, job_id: UUID) -> dict[str, Any]:
        path = self._dir(job_id) / "status.json"
        if not path.exists():
            raise NotFound("JOB_NOT_FOUND", str(job_id))
        status: dict[str, Any] = json.loads(path.read_text())
        if not status.get("scope", "").startswith(who.scope):
            raise NotFound("JOB_NOT_FOUND", str(job_id))  # another county's: not there
        return self._interrupted(job_id, status)

    def report(self, who: Principal, job_id: UUID) -> Path:
        status = self.status(who, job_id)
        if not status.get("report"):
            raise Refused("REPORT_NOT_READY", f"the job is {status['status']}")
        return self._dir(job_id) / status["report"]
