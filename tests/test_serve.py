"""planx serve: the real server (uvicorn in a subprocess, on a free loopback port) fed real
files over HTTP, its answers checked against the command line."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")
httpx = pytest.importorskip("httpx")

from extractor import PlanxError, extract, json_schema  # noqa: E402

from .conftest import ROOT, SEEDS, seed  # noqa: E402

HOSTILE = Path(__file__).parent / "hostile"


@dataclass
class Server:
    url: str
    log: Path
    proc: subprocess.Popen

    def client(self, **kw: object) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=60, **kw)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(log: Path, *args: str) -> Server:
    for _ in range(3):  # another process may take the free port before the server binds it
        port = _free_port()
        with log.open("wb") as out:
            proc = subprocess.Popen([sys.executable, "-m", "extractor.cli", "serve", "--port", str(port), *args],
                                    cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        server = Server(f"http://127.0.0.1:{port}", log, proc)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                if httpx.get(server.url + "/ready", timeout=2).status_code == 200:
                    return server
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        _stop(server)
    raise AssertionError(f"the server did not start:\n{log.read_text(errors='replace')[-3000:]}")


def _stop(server: Server) -> None:
    server.proc.terminate()
    try:
        server.proc.wait(20)
    except subprocess.TimeoutExpired:
        server.proc.kill()
        server.proc.wait()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    s = _start(tmp_path_factory.mktemp("serve") / "server.log", "--workers", "2", "--max-bytes", "400000")
    yield s
    _stop(s)


@pytest.fixture(scope="module")
def tight(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One worker, one request in flight, a short time limit: overload and timeouts on demand."""
    s = _start(tmp_path_factory.mktemp("serve") / "tight.log", "--workers", "1", "--max-queue", "1",
               "--timeout", "1.5", "--max-bytes", "8000000")
    yield s
    _stop(s)


def _cli(cwd: Path, *args: str) -> bytes:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-m", "extractor.cli", *args], cwd=cwd, capture_output=True,
                         env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout


def _upload(client: httpx.Client, name: str, data: bytes, path: str = "/v1/extract", **params: str) -> httpx.Response:
    return client.post(path, files={"file": (name, data, "application/octet-stream")}, params=params)


def _without_path(plans: list[dict]) -> list[dict]:
    return [{**p, "source": {**p["source"], "path": None}} for p in plans]


def test_extract_is_planx_extract_byte_for_byte(server: Server, tmp_path: Path) -> None:
    """Every seed: the answer is the bytes `planx extract NAME` prints for a file of that name."""
    for p in SEEDS:
        shutil.copy(p, tmp_path / p.name)
    with ThreadPoolExecutor(4) as ex:
        expected = dict(zip(SEEDS, ex.map(lambda p: _cli(tmp_path, "extract", p.name), SEEDS), strict=True))
    with server.client() as c:
        for p in SEEDS:
            r = _upload(c, p.name, p.read_bytes())
            assert r.status_code == 200 and r.headers["content-type"] == "application/json"
            assert r.content == expected[p], p.name
            assert json.loads(r.content)[0]["source"]["path"] == p.name
        # another name: only source.path differs from the command line's plans
        r = _upload(c, "校本研修计划.txt", seed("000").read_bytes())
        plans = r.json()
        assert {q["source"]["path"] for q in plans} == {"校本研修计划.txt"}
        assert _without_path(plans) == _without_path(json.loads(expected[seed("000")]))


def test_docx_upload_is_planx_extract(server: Server, tmp_path: Path) -> None:
    import docx

    d = docx.Document()
    for line in ("2024学年第一学期教研组工作计划", "一、指导思想", "以课堂教学为中心，提高教师专业水平。",
                 "二、工作目标", "1. 每位教师上一节公开课。", "三、主要措施", "1. 每周三下午集体备课。"):
        d.add_paragraph(line)
    table = d.add_table(rows=3, cols=3)
    for row, cells in zip(table.rows, [("时间", "活动内容", "负责人"), ("9月", "制定计划", "教研组长"),
                                       ("10月", "公开课展示", "全体教师")], strict=True):
        for cell, value in zip(row.cells, cells, strict=True):
            cell.text = value
    d.save(tmp_path / "plan.docx")
    data = (tmp_path / "plan.docx").read_bytes()
    with server.client() as c:
        r = _upload(c, "plan.docx", data)
        assert r.status_code == 200
        assert r.content == _cli(tmp_path, "extract", "plan.docx")
        assert r.json()[0]["source"]["format"] == "docx"
        lines = _upload(c, "plan.docx", data, format="jsonl")
        assert lines.content == _cli(tmp_path, "extract", "--jsonl", "plan.docx")
        t = _upload(c, "plan.docx", data, "/v1/text")
        assert t.status_code == 200 and t.headers["content-type"].startswith("text/plain")
        assert t.content == _cli(tmp_path, "text", "plan.docx")


def test_text_is_planx_text(server: Server, capsys: pytest.CaptureFixture[str]) -> None:
    from extractor.cli import main

    with server.client() as c:
        for name in ("001", "003"):
            assert main(["text", str(seed(name))]) == 0
            r = _upload(c, seed(name).name, seed(name).read_bytes(), "/v1/text")
            assert r.status_code == 200 and r.text == capsys.readouterr().out


def test_jsonl_and_json_text(server: Server) -> None:
    text = seed("002").read_text(encoding="utf-8")
    with server.client() as c:
        lines = _upload(c, "a.txt", text.encode(), format="jsonl")
        assert lines.headers["content-type"] == "application/x-ndjson"
        array = _upload(c, "a.txt", text.encode()).json()
        assert [json.loads(x) for x in lines.text.splitlines()] == array and len(array) == 5
        # JSON {"text": ...} is extractor.extract(str): no file, no name
        r = c.post("/v1/extract", json={"text": text})
        assert r.status_code == 200
        assert r.json() == [p.model_dump(mode="json") for p in extract(text)]
        assert c.post("/v1/text", json={"text": text}).text == text


def test_schema_health_ready_docs_and_request_ids(server: Server) -> None:
    with server.client() as c:
        assert c.get("/v1/schema").json() == json.loads(json.dumps(json_schema()))
        assert c.get("/health").json() == {"status": "ok"}
        ready = c.get("/ready").json()
        assert ready["ready"] is True and ready["workers"] == 2 and ready["in_flight"] == 0
        assert "/v1/extract" in c.get("/openapi.json").json()["paths"]
        assert "swagger" in c.get("/docs").text.lower()
        ids = {c.get("/health").headers["x-request-id"] for _ in range(3)}
        assert len(ids) == 3  # one per request
        assert c.get("/nope", headers={"X-Request-ID": "job-42"}).headers["x-request-id"] == "job-42"
    time.sleep(0.2)
    lines = server.log.read_text(encoding="utf-8").splitlines()
    assert any(re.search(r"planx\.serve\.access: GET /nope 404 [\d.]+ ms job-42$", x) for x in lines)


def test_every_hostile_file_gets_the_command_lines_outcome(server: Server) -> None:
    """A file the command line cannot read is 422 with the same stage and cause, never a 500."""
    with server.client() as c:
        for path in sorted(HOSTILE.iterdir()):
            r = _upload(c, path.name, path.read_bytes())
            try:
                expected = [p.model_dump(mode="json") for p in extract(path)]
            except PlanxError as e:
                assert r.status_code == 422, path.name
                assert r.json() == {"error": {"stage": e.stage, "cause": e.cause}}
                continue
            assert r.status_code == 200, (path.name, r.text)
            assert _without_path(r.json()) == _without_path(expected)
        assert "binary file" in _upload(c, "binary.bin", (HOSTILE / "binary.bin").read_bytes()).json()["error"]["cause"]
        assert "zip bomb" in _upload(c, "bomb.docx", (HOSTILE / "bomb.docx").read_bytes()).json()["error"]["cause"]


def test_limits_and_bad_requests(server: Server) -> None:
    big = seed("000").read_bytes() * 60  # 600 KB
    with server.client() as c:
        r = _upload(c, "big.txt", big[:420_000])  # over --max-bytes 400000, within the body's slack
        assert r.status_code == 413
        assert r.json() == {"error": {"stage": "read", "cause": "file is 420000 bytes, over the limit of 400000"}}
        r = _upload(c, "huge.txt", big * 2)  # over the body cap: refused from Content-Length alone
        assert r.status_code == 413 and "over the limit" in r.json()["error"]["cause"]
        assert c.post("/v1/extract", json={"text": big.decode("utf-8", "ignore")}).status_code == 413
        assert c.post("/v1/extract", content=b"hello", headers={"content-type": "text/plain"}).status_code == 415
        r = _upload(c, "a.txt", seed("001").read_bytes(), format="xml")
        assert r.status_code == 422 and r.json()["error"]["stage"] == "request"
        r = c.post("/v1/extract", files={"other": ("a.txt", b"x")})
        assert r.status_code == 422 and "file" in r.json()["error"]["cause"]
        r = c.post("/v1/extract", content=b'{"text": "\\ud800 \\u4e00"}', headers={"content-type": "application/json"})
        assert r.status_code == 422 and "lone surrogate" in r.json()["error"]["cause"]
        r = c.post("/v1/extract", content=b"{nope", headers={"content-type": "application/json"})
        assert r.status_code == 422 and "not valid JSON" in r.json()["error"]["cause"]
        r = c.post("/v1/extract", content=b"--x\r\nbroken", headers={"content-type": "multipart/form-data; boundary=x"})
        assert r.status_code in (400, 422) and "error" in r.json()
        assert c.get("/ready").json()["in_flight"] == 0  # every refusal gave its slot back
    assert "Traceback" not in server.log.read_text(encoding="utf-8")


def test_overload_is_503_and_a_slow_document_is_cut_off(tight: Server) -> None:
    """--workers 1 --max-queue 1: while a slow document runs, /health still answers and other
    requests get 503 with Retry-After; the slow one is cut off at --timeout 1.5 s (504)."""
    slow = "\n".join(p.read_text(encoding="utf-8") for p in SEEDS) * 60  # ~4 s of work
    result: dict[str, httpx.Response] = {}

    def send_slow() -> None:
        with tight.client() as c:
            result["slow"] = c.post("/v1/extract", json={"text": slow})

    t = threading.Thread(target=send_slow)
    started = time.monotonic()
    t.start()
    with tight.client() as c:
        while c.get("/ready").json()["in_flight"] == 0:
            assert time.monotonic() - started < 10
            time.sleep(0.01)
        h = time.monotonic()
        assert c.get("/health").status_code == 200 and time.monotonic() - h < 0.5

        def small(_: int) -> httpx.Response:
            with tight.client() as c2:
                return _upload(c2, "a.txt", seed("001").read_bytes())

        with ThreadPoolExecutor(4) as ex:
            refused = list(ex.map(small, range(4)))
        for r in refused:
            assert r.status_code == 503 and int(r.headers["retry-after"]) >= 1
            assert r.json()["error"]["stage"] == "queue"
        t.join(30)
        r = result["slow"]
        assert r.status_code == 504
        assert r.json() == {"error": {"stage": "timeout", "cause": "took over 1.5 s: cut off"}}
        assert time.monotonic() - started < 1.5 + 4  # cut off, not run to the end
        # the worker is free again
        assert _upload(c, "a.txt", seed("001").read_bytes()).status_code == 200
