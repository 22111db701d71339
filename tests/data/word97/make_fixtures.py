"""Regenerate the Word 97 (.doc) fixtures of tests/test_ingest_formats.py.

The project reads .doc with antiword, which cannot write one, and CI does not install
LibreOffice (it takes half a minute and 200 MB for a converter only this script needs). So the
.doc made from the tests' synthetic QĐ 124 is committed, and this script remakes it:

    apt-get install libreoffice-writer-nogui
    .venv/bin/python tests/data/word97/make_fixtures.py

It writes the synthetic text as DOCX with the tests' own writer (letterhead and signature in
tables, bold article numbers), then has LibreOffice save it as "MS Word 97".
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))  # tests/, for test_ingest

from test_ingest import qd_124, write_docx  # noqa: E402


def main() -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        raise SystemExit("Cần LibreOffice: apt-get install libreoffice-writer-nogui")
    with tempfile.TemporaryDirectory() as folder:
        docx = write_docx(qd_124(), Path(folder) / "qd-124-2023.docx")
        subprocess.run(
            [soffice, "--headless", "--convert-to", "doc:MS Word 97", "--outdir", folder, docx],
            check=True,
            capture_output=True,
        )
        shutil.copy(Path(folder) / "qd-124-2023.doc", HERE / "qd-124-2023.doc")
    print(f"Đã ghi {HERE / 'qd-124-2023.doc'}")


if __name__ == "__main__":
    main()
