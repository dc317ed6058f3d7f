"""Progress of long work (a build, an upload's dry run): phases, rows and rows per second.

The work calls ``report(phase, rows, seconds)`` as each phase starts: ``reading`` (the file is being
read), ``checking`` (its rows are read and checked: ``rows`` of them in ``seconds``), ``building`` (the
new database version is being built, of ``rows`` rows), then ``done``. The upload page draws it as a
progress bar (``fraction`` and ``text``); the command line prints it as one line rewritten in place
(``Terminal``), and prints nothing when its output is not a terminal.

>>> text("checking", 18177, 1.5)
'Đang kiểm tra: 18.177 dòng (12.118 dòng/giây)'
>>> fraction("building")
0.6
"""
from __future__ import annotations

import sys

from communes import fmt
from communes.i18n import t

PHASES = {"reading": 0.05, "checking": 0.35, "building": 0.6, "done": 1.0}
RATED = ("checking", "done")  # the rows read and checked per second; building reports the version's rows


def fraction(phase: str) -> float:
    return PHASES.get(phase, 0.0)


def text(phase: str, rows: int, seconds: float, lang: str = "vi") -> str:
    """"Đang kiểm tra: 18.177 dòng (12.118 dòng/giây)": the rate of the rows read and checked (when
    checking, and overall when done); building gives the rows of the version being built."""
    label = t(f"progress.{phase}", lang)
    if not rows:
        return label
    out = f"{label}: {t('progress.rows', lang, n=fmt.number(rows, lang=lang))}"
    if seconds > 0 and phase in RATED:
        out += f" ({t('progress.rate', lang, n=fmt.number(rows / seconds, lang=lang))})"
    return out


class Terminal:
    """A progress line on the terminal (standard error), rewritten in place; silent when it is not a terminal."""

    def __init__(self, stream=None, lang: str = "vi"):
        self.stream = stream or sys.stderr
        self.lang = lang
        self.on = bool(getattr(self.stream, "isatty", lambda: False)())
        self.width = 0

    def __call__(self, phase: str, rows: int = 0, seconds: float = 0.0) -> None:
        if not self.on:
            return
        line = f"{round(fraction(phase) * 100):3d} % {text(phase, rows, seconds, self.lang)}"
        self.stream.write("\r" + line.ljust(self.width))
        self.stream.flush()
        self.width = len(line)

    def close(self) -> None:
        """End the line (so what is printed next starts on its own line)."""
        if self.on and self.width:
            self.stream.write("\n")
            self.stream.flush()
            self.width = 0
