"""Every module-level regular expression of the pipeline runs in linear time on adversarial lines.

A regex with nested quantifiers can take exponential time on a line it fails to match
(a glued all-caps PDF banner, a long run of Chinese characters), and a C-level regex
cannot be interrupted: one such line hangs a whole batch. Each module's patterns are run
on such lines in a subprocess with a time limit.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

MODULES = ["ingest", "sections", "segment", "citations", "abbreviations", "normalize", "tuples", "report"]

PROBE = r"""
import re, sys, time, importlib
mod = importlib.import_module("pipeline." + sys.argv[1])
lines = [
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ" * 4 + "!",
    "Abcdefghij" * 30 + "!",
    "骨髓间充质干细胞具有多向分化潜能" * 12 + "(BMSCs)!",
    "骨 髓 间 充 质 干 细 胞 " * 15 + "!",
    "1, 2, 3, 4, 5, 6, 7, 8, 9, " * 12 + "x",
    " " * 300 + "x",
    "a-b-c-d-e-f-g-h-" * 20 + "!",
    "[1,2,3,4,5,6,7,8,9,10" * 10,
    "Smith J, Lee K, " * 30 + "等",
    "((((((((((((((((((((((((((((((x",
]
worst = (0.0, None)
for name, value in vars(mod).items():
    if isinstance(value, re.Pattern):
        for line in lines:
            t0 = time.perf_counter()
            value.search(line)
            value.match(line)
            dt = time.perf_counter() - t0
            if dt > worst[0]:
                worst = (dt, f"{name} on {line[:30]!r}")
print(f"{worst[0]:.3f} {worst[1]}")
"""


@pytest.mark.parametrize("module", MODULES)
def test_regexes_module_patterns_fail_fast(module):
    try:
        done = subprocess.run([sys.executable, "-c", PROBE, module], capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail(f"a regex of pipeline.{module} ran for more than 60 s on an adversarial line")
    assert done.returncode == 0, done.stderr[-2000:]
    seconds, _, where = done.stdout.strip().partition(" ")
    assert float(seconds) < 0.5, f"slow regex in pipeline.{module}: {where} took {seconds} s"
