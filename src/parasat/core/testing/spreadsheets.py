"""Spreadsheets no library writes, for tests of the readers."""

from __future__ import annotations

import io
import zipfile


def with_raw_cell(data: bytes, placeholder: str, raw: str) -> bytes:
    """``data`` (an .xlsx) with the cell value ``placeholder`` written as ``raw``
    in the first sheet's XML, e.g. a number cell of 5,000 digits, which openpyxl
    cannot write but a hand-made file may hold."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(
                    f"<v>{placeholder}</v>".encode(), f"<v>{raw}</v>".encode()
                )
            target.writestr(item, content)
    return out.getvalue()
