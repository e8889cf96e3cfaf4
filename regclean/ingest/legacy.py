"""The older Office formats many offices still send: Word 97–2003 (.doc) and Excel 97–2003
(.xls), as WPS and older Office save them by default.

No maintained Python library reads them whole, so LibreOffice (headless) converts each to its
newer form (.docx, .xlsx) in a folder of its own, which lives as long as the process, and the
reader of that form reads it: a .doc as a Word file (:mod:`.docx`), an .xls as a workbook
(:mod:`.xlsx`). Without LibreOffice the file is refused, saying how to save it in the newer
form. A conversion that fails, or takes longer than ``SECONDS``, is refused naming the file.
"""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

import attrs

from ..errors import Problem, ValidationError
from ..processes import die_with_parent
from .columns import Table
from .docx import read_docx
from .xlsx import read_xlsx

SECONDS = 120.0  # at most, for one file's conversion
NEWER = {".doc": ".docx", ".xls": ".xlsx"}
_FILTERS = {".docx": "docx:MS Word 2007 XML", ".xlsx": "xlsx:Calc MS Excel 2007 XML"}


def read_doc(path: Path, overrides: Mapping[str, str] | None = None) -> Table:
    """A Word 97–2003 file, read as the .docx LibreOffice makes of it."""
    return attrs.evolve(read_docx(converted(path), overrides), path=path)


def read_xls(path: Path, overrides: Mapping[str, str] | None = None) -> Table:
    """An Excel 97–2003 workbook, read as the .xlsx LibreOffice makes of it."""
    return attrs.evolve(read_xlsx(converted(path), overrides), path=path)


def office() -> str | None:
    """The LibreOffice program on this machine, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def converted(path: Path) -> Path:
    """``path`` in its newer form, made by LibreOffice in a folder removed when the process ends;
    its name is the original's (附件1.doc -> 附件1.docx), so messages still name the file."""
    newer = NEWER[path.suffix.lower()]
    program = office()
    if program is None:
        raise ValidationError(
            [
                Problem(
                    f"a {path.suffix.lower()} file needs LibreOffice to be read, and this machine "
                    f"has none: open it in Word or WPS and save it as {newer}, or install "
                    "LibreOffice (Debian: apt-get install libreoffice-writer-nogui "
                    "libreoffice-calc-nogui)",
                    str(path),
                )
            ]
        )
    if not path.is_file():
        raise ValidationError([Problem("no such file", str(path))])
    folder = Path(tempfile.mkdtemp(prefix="regclean-convert-"))
    atexit.register(shutil.rmtree, folder, True)
    source = folder / ("source" + path.suffix.lower())
    shutil.copyfile(path, source)  # LibreOffice names its output after its input
    profile = folder / "profile"  # a profile of its own: no clash with a running LibreOffice
    command = [
        program,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        _FILTERS[newer],
        "--outdir",
        str(folder),
        str(source),
    ]
    # its own process group, so that a conversion stopped at the time limit takes every process
    # LibreOffice started with it
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "HOME": str(folder)},
        start_new_session=True,
        preexec_fn=functools.partial(die_with_parent, os.getpid()),
    )
    try:
        out, err = process.communicate(timeout=SECONDS)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise ValidationError(
            [Problem(f"LibreOffice took more than {SECONDS:g} s to convert it", str(path))]
        ) from None
    made = folder / ("source" + newer)
    if process.returncode != 0 or not made.is_file() or made.stat().st_size == 0:
        said = (err or out).decode("utf-8", "replace").strip().splitlines()
        raise ValidationError(
            [
                Problem(
                    f"not a readable {path.suffix.lower()} file: LibreOffice could not convert "
                    f"it to {newer}" + (f" ({said[-1]})" if said else ""),
                    str(path),
                )
            ]
        )
    named = folder / (path.stem + newer)
    made.rename(named)
    return named
