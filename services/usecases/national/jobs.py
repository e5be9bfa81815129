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

    def _dir(self, job_id: UUID) -> Path:
        return self.root / str(job_id)

    def _write(self, job_id: UUID, /, **fields: Any) -> None:
        path = self._dir(job_id) / "status.json"
        status = json.loads(path.read_text()) if path.exists() else {}
        status |= fields | {"updated_at": datetime.now(UTC).isoformat()}
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(status, ensure_ascii=False, default=str))
        tmp.replace(path)  # a reader sees the old status or the new, never half

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
            path.unlink(missing_ok=True)

    def status(self, who: Principal, job_id: UUID) -> dict[str, Any]:
        path = self._dir(job_id) / "status.json"
        if not path.exists():
            raise NotFound("JOB_NOT_FOUND", str(job_id))
        status: dict[str, Any] = json.loads(path.read_text())
        if not status.get("scope", "").startswith(who.scope):
            raise NotFound("JOB_NOT_FOUND", str(job_id))  # another county's: not there
        return status

    def report(self, who: Principal, job_id: UUID) -> Path:
        status = self.status(who, job_id)
        if not status.get("report"):
            raise Refused("REPORT_NOT_READY", f"the job is {status['status']}")
        return self._dir(job_id) / status["report"]
