"""Run the hostile-input campaign: every atheris target for N inputs.

Usage::

    python fuzz/run.py --runs 200000              # every target (what `make fuzz` runs)
    python fuzz/run.py --runs 5000 --target demo  # one target (repeatable option)

Each target runs in its own process (``fuzz/harness.py``) with the token
dictionary ``fuzz/http.dict``, a fixed seed and inputs of at most
``--max-len`` bytes. The command prints, per target, the inputs tried, the
time, the coverage libFuzzer reached and the findings (each distinct one is
a file under ``--findings``, with its input). It exits with status 1 if any
target had a finding.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from hostile import ALL_TARGETS  # noqa: E402

_DONE_RE = re.compile(r"^Done (\d+) runs in (\d+) second", re.MULTILINE)
_COVERAGE_RE = re.compile(r"DONE\s+cov: (\d+) ft: (\d+)")


@dataclass(frozen=True)
class Result:
    """What one target's run reported."""

    target: str
    inputs: int
    seconds: float
    coverage: str
    findings: list[str]

    def row(self) -> str:
        rate = self.inputs / self.seconds if self.seconds else 0.0
        found = "; ".join(self.findings) if self.findings else "none"
        return (
            f"| {self.target} | {self.inputs:,} | {self.seconds:.0f} s | {rate:,.0f}/s "
            f"| {self.coverage} | {found} |"
        )


def run_target(
    target: str, runs: int, findings: Path, corpus: Path, seed: int, max_len: int
) -> Result:
    """Fuzz one target for ``runs`` inputs and collect its findings."""
    target_findings = findings / target
    shutil.rmtree(target_findings, ignore_errors=True)
    target_corpus = corpus / target
    target_corpus.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable,
        str(HERE / "harness.py"),
        target,
        str(target_findings),
        str(target_corpus),
        f"-runs={runs}",
        f"-seed={seed}",
        f"-max_len={max_len}",
        f"-dict={HERE / 'http.dict'}",
        "-print_final_stats=1",
        "-timeout=30",
    ]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, errors="replace", check=False)
    seconds = time.perf_counter() - started
    log = done.stderr
    inputs = sum(int(match.group(1)) for match in _DONE_RE.finditer(log))
    coverage_match = _COVERAGE_RE.search(log)
    coverage = (
        f"cov {coverage_match.group(1)}, ft {coverage_match.group(2)}" if coverage_match else "?"
    )
    found = sorted(
        path.read_text(encoding="utf-8").splitlines()[0] for path in target_findings.glob("*.txt")
    )
    if done.returncode != 0:
        tail = " / ".join(log.strip().splitlines()[-3:])
        found.append(f"{target} crashed (exit {done.returncode}): {tail}")
    return Result(target, inputs, seconds, coverage, found)


def main(argv: list[str] | None = None) -> int:
    """Run the campaign; 1 if anything was found."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200_000, help="inputs per target")
    parser.add_argument("--target", action="append", choices=ALL_TARGETS, help="default: all")
    parser.add_argument("--findings", type=Path, default=HERE / "findings")
    parser.add_argument("--corpus", type=Path, help="keep the corpora here (default: discarded)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-len", type=int, default=4096, help="longest input, in bytes")
    options = parser.parse_args(argv)
    targets = options.target or list(ALL_TARGETS)
    print("| target | inputs | time | rate | coverage | findings |")
    print("|---|---:|---:|---:|---|---|")
    results = []
    with tempfile.TemporaryDirectory(prefix="etagspec-fuzz-") as scratch:
        corpus = options.corpus or Path(scratch)
        for target in targets:
            result = run_target(
                target, options.runs, options.findings, corpus, options.seed, options.max_len
            )
            results.append(result)
            print(result.row(), flush=True)
    total = sum(result.inputs for result in results)
    count = sum(len(result.findings) for result in results)
    print(f"\n{total:,} inputs over {len(results)} targets; {count} finding(s)", end="")
    print(f" (details in {options.findings})" if count else "")
    return 1 if count else 0


if __name__ == "__main__":
    sys.exit(main())
