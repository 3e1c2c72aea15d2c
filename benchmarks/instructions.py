"""
Instructions per uncached request: `make bench-instructions`.

valgrind (callgrind) counts the CPU instructions that serving each target takes, in-process, as
the benchmark's uncached server answers it (benchmarks/settings.py with BENCH_UNCACHED: no
response stored, what pages share kept), on the 300-article site of `make bench`, after a warm-up.
Unlike requests per second, the count barely moves from one run to the next (within 0.1%), however
busy or slow the machine is; it is what to compare two versions of the code by on a noisy machine.
It counts instructions, not time: a change that trades instructions for memory traffic or for
waits on the database or a cache shows only in `make bench`. Python's cyclic garbage collector is
paused while counting (benchmarks/django_side.py says why).

Compare within one run: two runs of the same code differ by up to a few percent, as pages change
with the time of day (the home page's "Open now" line, for one), while the two counts of one run
(--against) are taken at the same time and agree within 0.2% for the same code.

--against REV counts a git revision as well, from a worktree of it beside this checkout (sharing
its virtualenv, the benchmark's own code taken from this checkout), and prints the ratio. The site
is built with this checkout's migrations: compare revisions whose migrations are the same.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.run import ARTICLES, ROOT, site_with  # noqa: E402

# Where valgrind counts: the requests of each target are made inside one call of it, and only there
# (benchmarks/django_side.py, `instructions`). The Python code under test never calls it.
COUNTED_FUNCTION = "math_fsum"


def count(code, env, out_dir, requests):
    """Start counting the targets with the code in `code` (a checkout); returns what waits for the counts."""
    out_dir.mkdir(parents=True, exist_ok=True)
    command = [
        "valgrind",
        "--tool=callgrind",
        "--collect-atstart=no",
        f"--toggle-collect={COUNTED_FUNCTION}",
        f"--dump-after={COUNTED_FUNCTION}",
        f"--callgrind-out-file={out_dir / 'callgrind.out'}",
        sys.executable,
        "-m",
        "benchmarks.django_side",
        "instructions",
        str(requests),
    ]
    # A fixed hash seed: the same dict and set orders, so the same instructions, in every run.
    # What pages share is kept for the whole run, not the usual minute (PUBLIC_CACHE_SECONDS): under
    # valgrind a minute is a few requests, and a batch that looked it all up again would count that.
    env = {
        **env,
        "PYTHONPATH": str(code),
        "PYTHONHASHSEED": "0",
        "BENCH_UNCACHED": "1",
        "PUBLIC_CACHE_SECONDS": "86400",
    }
    log = open(out_dir / "valgrind.log", "w")  # noqa: SIM115 (closed when the run is read)
    process = subprocess.Popen(command, env=env, cwd=code, stdout=subprocess.PIPE, stderr=log, text=True)

    def results():
        out, _ = process.communicate()
        log.close()
        if process.returncode:
            sys.exit(f"counting in {code} failed; valgrind's log: {out_dir / 'valgrind.log'}")
        paths = json.loads(out.strip().splitlines()[-1])
        # One dump per target, in order: callgrind.out.1, .2, …
        counts = []
        for number in range(1, len(paths) + 1):
            dump = (out_dir / f"callgrind.out.{number}").read_text()
            totals = next(line for line in dump.splitlines() if line.startswith("totals:"))
            counts.append(int(totals.split()[1]) / requests)
        return dict(zip(paths, counts, strict=True)), paths

    return results


def worktree_of(revision, where):
    """A checkout of `revision` in `where`, able to run: this checkout's virtualenv and benchmark code."""
    subprocess.run(["git", "worktree", "add", "--detach", "-q", str(where), revision], cwd=ROOT, check=True)
    os.symlink(ROOT / ".venv", where / ".venv")
    for path in (ROOT / "benchmarks").glob("*.py"):
        shutil.copy2(path, where / "benchmarks" / path.name)
    subprocess.run(
        [sys.executable, "manage.py", "compilemessages", "--ignore=.venv", "-v0"],
        cwd=where,
        check=True,
    )
    return where


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=10, help="requests counted per target")
    parser.add_argument("--against", metavar="REV", help="a git revision to count as well, and compare with")
    parser.add_argument("--rebuild", action="store_true", help="build the seeded SQLite site again")
    args = parser.parse_args()
    if not shutil.which("valgrind"):
        sys.exit("valgrind is not installed: apt-get install -y valgrind (make bench-instructions does this)")

    workdir = Path(tempfile.mkdtemp(prefix="clinic-instructions-"))
    worktree = None
    try:
        env = site_with(ARTICLES, workdir / "site", args.rebuild)
        print(f"Counting {args.requests} requests per target under valgrind (a few minutes) …", flush=True)
        runs = {"this checkout": count(ROOT, env, workdir / "here", args.requests)}
        if args.against:
            worktree = worktree_of(args.against, workdir / "against")
            runs[args.against] = count(worktree, env, workdir / "there", args.requests)
        results = {name: run() for name, run in runs.items()}  # both run at once, one per core
    finally:
        if worktree is not None:
            subprocess.run(["git", "worktree", "remove", "--force", str(worktree)], cwd=ROOT, check=False)
        shutil.rmtree(workdir, ignore_errors=True)

    here, paths = results["this checkout"]
    print(f"\nInstructions per uncached request (millions; {ARTICLES} articles, SQLite, local memory)")
    header = f"{'target':24} {'this checkout':>14}"
    if args.against:
        header += f" {args.against[:14]:>14} {'ratio':>7}"
    print(header + "  path")
    for target, instructions in here.items():
        row = f"{target:24} {instructions / 1e6:14.2f}"
        if args.against:
            there = results[args.against][0][target]
            row += f" {there / 1e6:14.2f} {instructions / there:7.3f}"
        print(f"{row}  {paths[target]}")


if __name__ == "__main__":
    main()
