"""Write the small hostile files of tests/hostile/ (deterministic; run once, commit the output).

The large ones (a 20 MB single line, 100,000 numbered lines) are made by the tests at run time.
    python scripts/make_hostile.py
"""
from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "tests" / "hostile"
PLAN = ("学校校本研修工作计划\n一、指导思想\n坚持立德树人，促进教师专业成长。\n二、工作目标\n1.提高教师教学能力。\n"
        "2.形成研修特色。\n三、主要措施\n1.每两周一次集体备课，由教研组长负责。\n2.每学期开展一次公开课展示活动。\n")

_CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                  '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                  '<Default Extension="xml" ContentType="application/xml"/>'
                  '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
                  'officedocument.wordprocessingml.document.main+xml"/></Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
         '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
         'officeDocument" Target="word/document.xml"/></Relationships>')
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _docx(document_xml: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("word/document.xml", document_xml)
    return buf.getvalue()


def _paragraphs(lines: list[str]) -> str:
    return "".join(f"<w:p><w:r><w:t>{line}</w:t></w:r></w:p>" for line in lines)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    rng = random.Random(8)
    files = {
        "empty.txt": b"",
        "whitespace.txt": " \n\t \u3000\u3000\n\r\n".encode(),
        "binary.bin": bytes(rng.randrange(256) for _ in range(2048)),
        "image_named.txt": b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(512)),
        "truncated_utf8.txt": PLAN.encode("utf-8")[:-2],
        "utf16_nobom.txt": PLAN.encode("utf-16-le"),
        "mixed_gbk_utf8.txt": b"".join(
            line.encode("gb18030" if k % 2 else "utf-8") + b"\n" for k, line in enumerate(PLAN.split("\n"))),
        "lone_surrogates.txt": PLAN.encode("utf-8") + b"\xed\xa0\x80\xed\xb0\x80" + "三、保障\n".encode(),
        "control_chars.txt": ("\x00\x01" + PLAN.replace("\n", "\x0b\n")).encode("utf-8"),
        "deep_numbering.txt": "".join(
            f"{marker}第{d}层要求\n" for d, marker in enumerate(
                ["一、", "（一）", "1.", "（1）", "1)", "①", "⑴", "⒈", "A.", "a.", "(a)", "1.1 ", "1-1.",
                 "●", "■", "◆", "★", "※", "▲", "◎"] * 2, start=1)).encode() + "最后一段内容。\n".encode(),
        "script_and_style.html": ("<html><head><style>body{}</style><script>alert('一、不是')</script></head><body>"
                                  "<iframe src='x'></iframe>" + "".join(f"<p>{line}&nbsp;&amp;</p>"
                                                                         for line in PLAN.split("\n")) +
                                  "</body></html>").encode(),
        "xxe.docx": _docx(('<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
                           f'<w:document xmlns:w="{_W}"><w:body>' + _paragraphs(["&xxe;", *PLAN.split("\n")])
                           + "</w:body></w:document>").encode()),
        "bomb.docx": _docx(f'<w:document xmlns:w="{_W}"><w:body>'.encode() + b" " * (300 * 2**20)
                           + b"</w:body></w:document>"),
        "not_a_zip.docx": b"PK\x03\x04" + bytes(rng.randrange(256) for _ in range(300)),
        "ok.docx": _docx(f'<w:document xmlns:w="{_W}"><w:body>{_paragraphs(PLAN.split(chr(10)))}'
                         "</w:body></w:document>".encode()),
    }
    for name, data in files.items():
        (OUT / name).write_bytes(data)
        print(f"{name}: {len(data)} bytes")


if __name__ == "__main__":
    main()
