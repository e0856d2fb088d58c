"""`planx serve`: the extractor as an HTTP service, for tools that feed on it.

The event loop only receives uploads and sends answers; every document is read and
extracted in a process pool (`workers` processes, each importing planx once and warming it
on a tiny plan), so a slow document never stalls /health, and it is cut off at `timeout`
seconds by an alarm in its worker. Uploads stay in memory (never spooled to disk). At most
`max_queue` extraction requests are in flight; above that a request is refused with 503 and
Retry-After at once (GROBID's back-pressure), before its body is read.

    POST /v1/extract   multipart field `file`, or JSON {"text": "..."}; ?mode=, ?format=json|jsonl
    POST /v1/text      the source text that the spans index (as `planx text`)
    GET  /v1/schema    the JSON Schema of a plan
    GET  /health       the process is up;  GET /ready: the workers are warm and accepting
    GET  /docs, /openapi.json

Errors are JSON `{"error": {"stage": ..., "cause": ...}}`: 413 over a size limit, 422 a file
that cannot be read, 504 over the time limit, 503 queue full; never a traceback.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import multiprocessing
import os
import re
import signal
import threading
import time
import uuid
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect

try:  # python-multipart >= 0.0.13; older releases name the module `multipart`
    from python_multipart.multipart import MultipartParser, parse_options_header
except ImportError:  # pragma: no cover
    from multipart.multipart import MultipartParser, parse_options_header  # type: ignore[no-redef]

from . import __version__
from .model import Plan, json_schema

__all__ = ["ServeConfig", "create_app", "main"]

log = logging.getLogger("planx.serve")
access_log = logging.getLogger("planx.serve.access")

Mode = Literal["rules", "spacy", "full"]
Format = Literal["json", "jsonl"]
_SLACK = 64 * 1024  # multipart framing and small fields on top of the file itself
_MEDIA = {"json": "application/json", "jsonl": "application/x-ndjson", "text": "text/plain; charset=utf-8"}


@dataclass(frozen=True)
class ServeConfig:
    """How the service runs; the limits are those of `planx ingest` (per document)."""

    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    max_queue: int | None = None  # requests in flight (queued or running); None: 8 per worker
    mode: Mode = "rules"  # the default of ?mode=; the workers are warmed for this one
    timeout: float = 60.0  # seconds per document before it is cut off (504)
    max_bytes: int = 50 * 2**20  # a larger upload or text is refused (413)

    def __post_init__(self) -> None:
        if self.workers < 1:
            raise ValueError("--workers must be at least 1")
        if self.max_queue is not None and self.max_queue < 1:
            raise ValueError("--max-queue must be at least 1")
        if not self.timeout > 0:
            raise ValueError("--timeout must be over 0 seconds")
        if self.max_bytes < 1:
            raise ValueError("--max-bytes must be at least 1")
        if self.mode not in ("rules", "spacy", "full"):
            raise ValueError(f"no mode {self.mode!r}")

    @property
    def queue(self) -> int:
        return self.max_queue if self.max_queue is not None else 8 * self.workers


def _error_body(stage: str, cause: str) -> bytes:
    return json.dumps({"error": {"stage": stage, "cause": cause}}, ensure_ascii=False).encode()


# --- what runs in a worker process -------------------------------------------------------

_WARM_TEXT = "校本研修计划\n一、指导思想\n提高教师专业水平。\n二、主要措施\n1. 每周三下午集体备课。\n"
_warm_error: str | None = None
_barrier: Any = None


class _Timeout(Exception):
    pass


def _on_alarm(signum: int, frame: Any) -> None:
    raise _Timeout


def _init_worker(mode: str, barrier: Any) -> None:
    """Import planx and run it once, so that the first request does not pay for loading."""
    global _warm_error, _barrier
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the server stops us
    _barrier = barrier
    try:
        from .pipeline import MODES, Settings, run
        from .read import Source

        run(Source.from_text(_WARM_TEXT), Settings(stages=MODES[mode]))
    except Exception as e:  # reported by /ready, not a dead pool
        _warm_error = f"warming mode {mode} failed: {type(e).__name__}: {e}"


def _ping() -> str | None:
    # every worker takes exactly one ping (they wait for each other), so all are warm after it
    _barrier.wait(timeout=300)
    return _warm_error


def _work(task: str, kind: str, name: str | None, body: bytes, mode: str, fmt: str,
          max_bytes: int, max_seconds: float) -> tuple[int, bytes]:
    """(HTTP status, body) for one document; the alarm is the hard stop inside a stage, as in
    extractor.ingest.worker.extract_bytes. Unlike there, the source keeps the file's name,
    so the plans are those of `planx extract NAME`."""
    from .errors import LimitError, PlanxError

    t0 = time.perf_counter()
    old = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, max_seconds)
    try:
        try:
            return 200, _extract(task, kind, name, body, mode, fmt, max_bytes, max_seconds)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)  # the handlers below run without the alarm
    except _Timeout:
        return 504, _error_body("timeout", f"took over {max_seconds:g} s: cut off")
    except LimitError as e:
        if time.perf_counter() - t0 >= max_seconds:  # run()'s own check between stages
            return 504, _error_body("timeout", f"took over {max_seconds:g} s: cut off")
        return 413, _error_body(e.stage, e.cause)
    except PlanxError as e:
        return 422, _error_body(e.stage, e.cause)
    except RecursionError:
        return 422, _error_body("extract", "structure too deep (recursion limit)")
    except Exception as e:
        log.exception("extracting %s failed", name or "<text>")  # the server's log, not the answer
        return 500, _error_body("extract", f"internal error: {type(e).__name__}")
    finally:
        signal.signal(signal.SIGALRM, old)


def _extract(task: str, kind: str, name: str | None, body: bytes, mode: str, fmt: str,
             max_bytes: int, max_seconds: float) -> bytes:
    from .errors import LimitError, ReadError
    from .pipeline import MODES, Settings, run
    from .read import Source, read_bytes

    if kind == "json":
        try:
            obj = json.loads(body)
        except ValueError as e:
            raise ReadError(None, f"the body is not valid JSON: {e}", stage="request") from None
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
            raise ReadError(None, 'the JSON body must be an object {"text": "..."}', stage="request")
        text = obj["text"]
        try:  # as extractor.extract(str)
            size = len(text.encode("utf-8"))
        except UnicodeEncodeError as e:
            raise ReadError(None, f"the text is not valid Unicode (lone surrogate at {e.start})") from e
        if size > max_bytes:
            raise LimitError(None, f"text is {size} bytes, over the limit of {max_bytes}", stage="read")
        if not text.strip():
            raise ReadError(None, "no text: the text holds only whitespace")
        source = Source.from_text(text)
    else:
        source = read_bytes(body, name, max_bytes=max_bytes)
    if task == "text":
        return source.text.encode("utf-8")
    settings = Settings(stages=MODES[mode], max_bytes=max_bytes, max_seconds=max_seconds)
    plans = [p.model_dump(mode="json") for p in run(source, settings)]
    if fmt == "jsonl":  # as `planx extract --jsonl` prints them
        return "".join(json.dumps(p, ensure_ascii=False) + "\n" for p in plans).encode("utf-8")
    return (json.dumps(plans, ensure_ascii=False, indent=2) + "\n").encode("utf-8")  # as `planx extract`


# --- the service ------------------------------------------------------------------------


class _Refused(Exception):
    def __init__(self, status: int, stage: str, cause: str) -> None:
        super().__init__(cause)
        self.status, self.stage, self.cause = status, stage, cause


class _Workers:
    """The process pool, its warm-up, and the count of requests in flight."""

    def __init__(self, config: ServeConfig) -> None:
        self.config = config
        self.pool: ProcessPoolExecutor | None = None
        self.ready = False
        self.not_ready = "starting: the workers are loading planx"
        self.in_flight = 0
        self._lock = threading.Lock()  # futures' callbacks run on the pool's thread
        self._seconds = 1.0  # a running mean of request time, for Retry-After
        self._tasks: set[asyncio.Task] = set()

    def start(self) -> None:
        n = self.config.workers
        ctx = multiprocessing.get_context("spawn")  # fork would copy the event loop's threads
        self.pool = pool = ProcessPoolExecutor(n, mp_context=ctx, initializer=_init_worker,
                                               initargs=(self.config.mode, ctx.Barrier(n)))
        self.ready = False
        task = asyncio.get_running_loop().create_task(self._warm(pool))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _warm(self, pool: ProcessPoolExecutor) -> None:
        try:
            errors = await asyncio.gather(*(asyncio.wrap_future(pool.submit(_ping))
                                            for _ in range(self.config.workers)))
        except Exception as e:
            errors = [f"the workers did not start: {type(e).__name__}: {e}"]
        if pool is not self.pool:
            return
        problem = next((e for e in errors if e), None)
        self.ready, self.not_ready = problem is None, problem or ""
        if problem:
            log.error("not ready: %s", problem)
        else:
            log.info("ready: %d workers warm (mode %s)", self.config.workers, self.config.mode)

    def restart(self, broken: ProcessPoolExecutor) -> None:
        if broken is self.pool:  # once per broken pool, however many requests saw it
            log.error("a worker process died: restarting the pool")
            broken.shutdown(wait=False, cancel_futures=True)
            self.not_ready = "restarting the workers"
            self.start()

    def stop(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None

    def try_enter(self) -> bool:
        with self._lock:
            if self.in_flight >= self.config.queue:
                return False
            self.in_flight += 1
            return True

    def leave(self, seconds: float | None = None) -> None:
        with self._lock:
            self.in_flight -= 1
            if seconds is not None:
                self._seconds = 0.9 * self._seconds + 0.1 * seconds

    def retry_after(self) -> str:
        # about one request's time: by then a slot is likely free again
        return str(max(1, math.ceil(self._seconds)))

    async def run(self, *args: Any) -> tuple[int, bytes]:
        """Run _work in the pool; takes over the caller's slot (try_enter) and frees it."""
        pool = self.pool
        t = time.perf_counter()
        try:
            if pool is None:
                raise RuntimeError("no pool")
            fut: Future = pool.submit(_work, *args)
        except (BrokenProcessPool, RuntimeError) as e:  # RuntimeError: submitted after shutdown
            self.leave()
            if isinstance(e, BrokenProcessPool) and pool is not None:
                self.restart(pool)
            raise _Refused(503, "server", "the workers are restarting or shutting down") from None
        # the slot is held until the worker is done, not until the client is answered
        fut.add_done_callback(lambda _: self.leave(time.perf_counter() - t))
        try:
            return await asyncio.wrap_future(fut)
        except BrokenProcessPool:
            self.restart(pool)
            raise _Refused(503, "server", "a worker process died; the workers are restarting") from None


async def _read_upload(request: Request, boundary: bytes | None, cap: int, max_bytes: int) -> tuple[str | None, bytes]:
    """The `file` field of a multipart body, parsed while it streams in, kept in memory."""
    if not boundary:
        raise _Refused(400, "request", "multipart body without a boundary")
    files: list[tuple[str | None, bytearray]] = []
    part: dict[str, Any] = {}
    header = [b"", b""]

    def on_part_begin() -> None:
        part.clear()
        part["headers"] = {}

    def on_header_field(data: bytes, start: int, end: int) -> None:
        header[0] += data[start:end]

    def on_header_value(data: bytes, start: int, end: int) -> None:
        header[1] += data[start:end]

    def on_header_end() -> None:
        part["headers"][header[0].lower()] = header[1]
        header[0] = header[1] = b""

    def on_headers_finished() -> None:
        _, opts = parse_options_header(part["headers"].get(b"content-disposition", b""))
        if opts.get(b"name") == b"file":
            raw = opts.get(b"filename")
            part["data"] = bytearray()
            files.append((_decode_name(raw) if raw else None, part["data"]))

    def on_part_data(data: bytes, start: int, end: int) -> None:
        if "data" in part:  # other fields are skipped (the body cap still bounds them)
            part["data"] += data[start:end]

    parser = MultipartParser(boundary, {
        "on_part_begin": on_part_begin, "on_header_field": on_header_field,
        "on_header_value": on_header_value, "on_header_end": on_header_end,
        "on_headers_finished": on_headers_finished, "on_part_data": on_part_data})
    seen = 0
    try:
        async for chunk in request.stream():
            seen += len(chunk)
            if seen > cap:
                raise _Refused(413, "read", f"request body is over the limit of {cap} bytes")
            parser.write(chunk)
        parser.finalize()
    except _Refused:
        raise
    except Exception as e:  # python-multipart's parse errors
        raise _Refused(400, "request", f"malformed multipart body: {e}") from None
    if not files:
        raise _Refused(422, "request", "no `file` field in the multipart body")
    if len(files) > 1:
        raise _Refused(422, "request", "one file per request")
    name, data = files[0]
    if len(data) > max_bytes:  # the words of read_bytes' LimitError
        raise _Refused(413, "read", f"file is {len(data)} bytes, over the limit of {max_bytes}")
    return name, bytes(data)


def _decode_name(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")  # browsers, curl and httpx send UTF-8 names as they are
    except UnicodeDecodeError:
        return raw.decode("latin-1")


async def _read_all(request: Request, cap: int) -> bytes:
    chunks, seen = [], 0
    async for chunk in request.stream():
        seen += len(chunk)
        if seen > cap:
            raise _Refused(413, "read", f"request body is over the limit of {cap} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


_RID = re.compile(r"[A-Za-z0-9._:-]{1,128}")


class _AccessLog:
    """Pure ASGI middleware: X-Request-ID on every answer, one access line per request, and a
    JSON 500 instead of anything unexpected (a traceback goes to the log only)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        rid = given if _RID.fullmatch(given) else uuid.uuid4().hex  # a client's id is kept if sane
        t = time.perf_counter()
        status = 0

        async def send_with_id(message: dict) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message = {**message, "headers": [*message.get("headers", []), (b"x-request-id", rid.encode())]}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            log.exception("request %s failed", rid)
            if not status:
                body = _error_body("server", "internal error")
                await send_with_id({"type": "http.response.start", "status": 500, "headers": [
                    (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
                await send_with_id({"type": "http.response.body", "body": body})
        finally:
            access_log.info("%s %s %d %.1f ms %s", scope["method"], scope["path"], status or 500,
                            (time.perf_counter() - t) * 1000, rid)


class ErrorDetail(BaseModel):
    stage: str
    cause: str


class ErrorBody(BaseModel):
    error: ErrorDetail


_UPLOAD_BODY = {"requestBody": {"required": True, "content": {
    "multipart/form-data": {"schema": {"type": "object", "required": ["file"], "properties": {
        "file": {"type": "string", "format": "binary",
                 "description": "the document (.txt .html .docx); its name picks the reader, as on the command line"}}}},
    "application/json": {"schema": {"type": "object", "required": ["text"], "properties": {
        "text": {"type": "string", "description": "the text itself, as extractor.extract(str)"}}}}}}}
_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "malformed request body"},
    413: {"model": ErrorBody, "description": "over the size limit (--max-bytes, characters, lines)"},
    415: {"model": ErrorBody, "description": "neither multipart/form-data nor application/json"},
    422: {"model": ErrorBody, "description": "the file cannot be read (the cause is named), or bad options"},
    503: {"model": ErrorBody, "description": "queue full (see Retry-After), or workers restarting"},
    504: {"model": ErrorBody, "description": "over the time limit (--timeout): cut off"},
}


def create_app(config: ServeConfig | None = None) -> FastAPI:
    """The FastAPI application; its process pool starts with the app (lifespan) and stops with it.
    The workers are spawned (not forked), so they import the main module again: a script that
    serves this app itself must do so under `if __name__ == "__main__":`."""
    config = config or ServeConfig()
    workers = _Workers(config)

    @asynccontextmanager
    async def lifespan(app: FastAPI):  # type: ignore[no-untyped-def]
        workers.start()
        try:
            yield
        finally:
            await asyncio.to_thread(workers.stop)

    app = FastAPI(title="planx", version=__version__, lifespan=lifespan,
                  description="Chinese school plan documents → structured plans (the `planx extract` JSON).")
    app.state.workers = workers
    app.add_middleware(_AccessLog)

    def error(status: int, stage: str, cause: str, headers: dict[str, str] | None = None) -> Response:
        return Response(_error_body(stage, cause), status, headers=headers, media_type="application/json")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return error(exc.status_code, "request", str(exc.detail), dict(exc.headers or {}))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        cause = "; ".join(f"{' '.join(str(x) for x in e['loc'])}: {e['msg']}" for e in exc.errors())
        return error(422, "request", cause)

    async def handle(request: Request, task: str, mode: str, fmt: str) -> Response:
        if not workers.try_enter():  # refused before the body is read: cheap under overload
            return error(503, "queue", f"{config.queue} requests in flight, the most this server takes",
                         {"Retry-After": workers.retry_after()})
        handed = False
        try:
            ctype, params = parse_options_header(request.headers.get("content-type"))
            cap = config.max_bytes + _SLACK
            length = request.headers.get("content-length", "")
            if length.isdigit() and int(length) > cap:  # before reading, so curl's 100-continue skips the upload
                raise _Refused(413, "read", f"request body is {length} bytes, over the limit of {cap}")
            if ctype == b"multipart/form-data":
                name, body = await _read_upload(request, params.get(b"boundary"), cap, config.max_bytes)
                kind = "file"
            elif ctype == b"application/json" or ctype.endswith(b"+json"):
                name, body, kind = None, await _read_all(request, cap), "json"
            else:
                raise _Refused(415, "request", 'send the file as multipart/form-data (field `file`) '
                                               'or JSON {"text": "..."}')
            handed = True  # from here workers.run frees the slot
            status, payload = await workers.run(task, kind, name, body, mode, fmt, config.max_bytes,
                                                config.timeout)
        except ClientDisconnect:
            return error(400, "request", "the client disconnected during the upload")
        except _Refused as r:
            return error(r.status, r.stage, r.cause, {"Retry-After": workers.retry_after()}
                         if r.status == 503 else None)
        finally:
            if not handed:
                workers.leave()
        media = _MEDIA["text" if task == "text" else fmt] if status == 200 else "application/json"
        return Response(payload, status, media_type=media)

    @app.post("/v1/extract", response_model=list[Plan], responses={
        200: {"description": "the plans, as `planx extract` prints them (JSON lines with format=jsonl)",
              "content": {"application/x-ndjson": {}}}, **_ERRORS}, openapi_extra=_UPLOAD_BODY)
    async def extract(request: Request,
                      mode: Annotated[Mode | None, Query(description="default: the server's --mode")] = None,
                      fmt: Annotated[Format, Query(alias="format")] = "json") -> Response:
        """The plans of one document: the same JSON as `planx extract`, `source.path` being the upload's name."""
        return await handle(request, "extract", mode or config.mode, fmt)

    @app.post("/v1/text", responses={200: {"description": "the source text", "content": {"text/plain": {}}},
                                     **_ERRORS}, openapi_extra=_UPLOAD_BODY)
    async def text(request: Request) -> Response:
        """The source text that every source_span indexes (as `planx text`)."""
        return await handle(request, "text", config.mode, "json")

    schema = json_schema()

    @app.get("/v1/schema")
    async def plan_schema() -> JSONResponse:
        """The JSON Schema of a plan (as `planx schema`)."""
        return JSONResponse(schema)

    @app.get("/health")
    async def health() -> dict:
        """The process is up (answered by the event loop, whatever the workers are doing)."""
        return {"status": "ok"}

    @app.get("/ready", responses={503: {"description": "the workers are not warm yet, or failed to warm"}})
    async def ready() -> JSONResponse:
        """The workers are warm and the queue accepts requests."""
        state = {"ready": workers.ready and workers.pool is not None, "workers": config.workers,
                 "mode": config.mode, "in_flight": workers.in_flight, "max_queue": config.queue}
        if not state["ready"]:
            state["cause"] = workers.not_ready
        return JSONResponse(state, 200 if state["ready"] else 503)

    return app


def main(config: ServeConfig | None = None, host: str = "127.0.0.1", port: int = 8088) -> int:
    """Serve until interrupted (uvicorn, one event loop; the work is in the process pool)."""
    import uvicorn

    config = config or ServeConfig()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    log.info("planx %s on http://%s:%d (mode %s, %d workers, max queue %d, timeout %g s, max %d bytes)",
             __version__, host, port, config.mode, config.workers, config.queue, config.timeout, config.max_bytes)
    uvicorn.run(create_app(config), host=host, port=port, access_log=False, log_level="info")
    return 0
