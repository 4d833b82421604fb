"""Small builders for Document/Chunk records used by the index tests."""

from __future__ import annotations

import hashlib

from service.records import Chunk, Document, Page


def make_doc(clauses: list[tuple[str | None, str | None, str]], name: str = "contract.txt",
             salt: str = "") -> tuple[Document, list[Chunk]]:
    """A one-page text Document whose chunks are the given (number, title, text) clauses."""
    text = "\n\n".join(body for _, _, body in clauses)
    sha = hashlib.sha256((salt + text).encode()).hexdigest()
    doc = Document(doc_id=sha, filename=name, sha256=sha, media_type="text/plain", text=text,
                   pages=[Page(number=1, start=0, end=len(text))])
    chunks, pos = [], 0
    for i, (number, title, body) in enumerate(clauses):
        start = text.index(body, pos)
        pos = start + len(body)
        chunks.append(Chunk(chunk_id=f"{sha}:{i}", doc_id=sha, ordinal=i, text=body, start=start,
                            end=pos, section_index=i, section_number=number, section_title=title,
                            page_start=1, page_end=1))
    return doc, chunks


PAYER_CLAUSES: list[tuple[str | None, str | None, str]] = [
    ("2.7", "Recoupment", "Payer may recoup any overpayment by offsetting the amount against "
     "future claim payments owed to Provider, without prior notice."),
    ("9.1", "Governing Law", "This Agreement shall be governed by and construed in accordance "
     "with the laws of the State of Delaware."),
    ("4.2", "Timely Filing", "Provider must submit all claims within ninety (90) days after the "
     "date of service or the claim will be denied."),
    (None, None, "IN WITNESS WHEREOF, the parties have executed this Agreement."),
]
