#!/usr/bin/env python3
"""Full builds side by side: handbok, Hugo and (when installed) mdBook on the same content.

For each corpus size this generates the same synthetic content in each tool's format with
../shared/bench/gen_corpus.py (cached under --corpora), then builds it --runs times per tool
and reports the median wall time, the peak resident memory of the build process (from
wait4's rusage, so per process, children included where a tool forks) and the ratio to Hugo
measured in the same run. Each tool builds into an output folder that already holds its
previous build, as in everyday use (handbok then links unchanged files, Hugo overwrites);
`--cold` removes the output before every run instead. Also timed: `handbok check` on each
corpus and `handbok build` of the bundled sample project.

  python3 bench/build-vs-peers.py                       # sizes 1k, 5k, 5kx4, 20k
  python3 bench/build-vs-peers.py --sizes 1k,5k,20k,80k --runs 3 --tools handbok,hugo

Sizes are "<pages>x<langs>" or "<pages>" (one language), with k for thousands: 1k, 5kx4.
mdBook builds one book per language, so it runs only on one-language sizes, and only up to
--mdbook-max pages (it takes minutes from 5k on). Binaries: HANDBOK_BIN (default
target/release/handbok under the repo, or $CARGO_TARGET_DIR/release/handbok), HUGO_BIN
(hugo), MDBOOK_BIN (default /work/tools/mdbook/bin/mdbook, else mdbook on PATH).
The table is printed as Markdown and written at the top of bench/results/build.md (earlier
runs stay below it).
Python 3 standard library only.
"""
import argparse
import datetime
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GEN = "/work/shared/bench/gen_corpus.py"
if not os.path.exists(GEN):
    GEN = os.path.join(os.path.dirname(REPO), "shared", "bench", "gen_corpus.py")


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def binary(env, default, name):
    path = os.environ.get(env) or default
    if path and os.path.exists(path):
        return path
    return shutil.which(name)


def handbok_bin():
    target = os.environ.get("CARGO_TARGET_DIR") or os.path.join(REPO, "target")
    return binary("HANDBOK_BIN", os.path.join(target, "release", "handbok"), "handbok")


def parse_size(text):
    pages, _, langs = text.partition("x")
    number = lambda s: int(float(s[:-1]) * 1000) if s.endswith("k") else int(s)
    return number(pages), int(langs or 1)


def label(pages, langs):
    p = f"{pages // 1000:,}k" if pages % 1000 == 0 else f"{pages:,}"
    return p if langs == 1 else f"{p} × {langs}"


def corpus(root, pages, langs, fmt):
    """The corpus of this size and format, generated once."""
    path = os.path.join(root, f"{fmt}-{pages}x{langs}")
    if not os.path.exists(os.path.join(path, ".complete")):
        shutil.rmtree(path, ignore_errors=True)
        log(f"generating {fmt} {pages}x{langs} …")
        subprocess.run([sys.executable, GEN, "--pages", str(pages), "--langs", str(langs),
                        "--out", path, "--format", fmt], check=True, stdout=subprocess.DEVNULL)
        open(os.path.join(path, ".complete"), "w").close()
    return path


def timed(argv, cwd=None):
    """Runs argv; returns (seconds, peak RSS in MiB) or raises on failure."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    took = time.perf_counter() - start
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"{argv[0]} failed ({proc.returncode}): {err[-2000:]}")
    # ru_maxrss is in KiB on Linux.
    return took, usage.ru_maxrss / 1024


def runs(n, cold, out, argv, cwd=None):
    results = []
    for _ in range(n):
        if cold:
            shutil.rmtree(out, ignore_errors=True)
        results.append(timed(argv, cwd))
    return statistics.median(t for t, _ in results), max(m for _, m in results)


def files_and_bytes(path):
    count = size = 0
    for dirpath, _, files in os.walk(path):
        for f in files:
            count += 1
            size += os.path.getsize(os.path.join(dirpath, f))
    return count, size


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1k,5k,5kx4,20k")
    ap.add_argument("--tools", default="handbok,hugo,mdbook")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--cold", action="store_true", help="remove the output before every run")
    ap.add_argument("--corpora", default="/tmp/handbok-bench-corpora")
    ap.add_argument("--out", default="/tmp/handbok-bench-out")
    ap.add_argument("--mdbook-max", type=int, default=5000)
    ap.add_argument("--results", default=os.path.join(REPO, "bench", "results", "build.md"))
    a = ap.parse_args()
    tools = a.tools.split(",")
    bins = {"handbok": handbok_bin(), "hugo": binary("HUGO_BIN", None, "hugo"),
            "mdbook": binary("MDBOOK_BIN", "/work/tools/mdbook/bin/mdbook", "mdbook")}
    for t in tools:
        if not bins.get(t):
            log(f"{t}: not found, skipped")
    tools = [t for t in tools if bins.get(t)]
    if "handbok" not in tools:
        sys.exit("handbok binary not found: cargo build --release, or set HANDBOK_BIN")
    os.makedirs(a.corpora, exist_ok=True)
    os.makedirs(a.out, exist_ok=True)

    rows = []
    for size in a.sizes.split(","):
        pages, langs = parse_size(size)
        row = {"size": label(pages, langs)}
        for tool in tools:
            if tool == "mdbook" and (langs != 1 or pages > a.mdbook_max):
                continue
            fmt = "guidelines" if tool == "handbok" else tool
            src = corpus(a.corpora, pages, langs, fmt)
            out = os.path.join(a.out, f"{tool}-{pages}x{langs}")
            argv = {
                "handbok": [bins["handbok"], "--quiet", "--root", src, "build", "--out", out],
                "hugo": [bins["hugo"], "--quiet", "-s", src, "-d", out],
                "mdbook": [bins["mdbook"], "build", src, "-d", out],
            }[tool]
            # One unmeasured build first: the output then holds a previous build (see above).
            if not a.cold:
                shutil.rmtree(out, ignore_errors=True)
                timed(argv)
            log(f"{tool} {row['size']}: {a.runs} runs …")
            row[tool] = runs(a.runs, a.cold, out, argv)
            row[tool + "-files"] = files_and_bytes(out)
            if tool == "handbok":
                row["check"] = runs(a.runs, False, out,
                                    [bins["handbok"], "--quiet", "--root", src, "check"])
        rows.append(row)
        log(row)

    sample_out = os.path.join(a.out, "sample")
    timed([bins["handbok"], "--quiet", "--root", REPO, "build", "--out", sample_out])
    sample = runs(max(a.runs, 5), a.cold, sample_out,
                  [bins["handbok"], "--quiet", "--root", REPO, "build", "--out", sample_out])

    def cell(row, tool):
        if tool not in row:
            return "—"
        t, m = row[tool]
        ratio = ""
        if tool == "handbok" and "hugo" in row:
            ratio = f" ({t / row['hugo'][0]:.2f}× Hugo)"
        return f"{t:.2f} s, {m:.0f} MiB{ratio}"

    head = ["corpus"] + tools + ["handbok check", "handbok output"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in rows:
        files, size = row["handbok-files"]
        check = f"{row['check'][0]:.2f} s, {row['check'][1]:.0f} MiB"
        lines.append("| " + " | ".join([row["size"]] + [cell(row, t) for t in tools]
                                       + [check, f"{files:,} files, {size / 1e6:.0f} MB"]) + " |")
    mode = "cold (empty output)" if a.cold else "rebuild into the previous output"
    table = "\n".join(lines)
    text = (f"# Full builds side by side\n\n{datetime.date.today()}, {platform.node()}, "
            f"{os.cpu_count()} CPUs, {a.runs} runs each, median wall time and peak RSS, {mode}.\n"
            f"handbok: {bins['handbok']}; sample project build: {sample[0] * 1000:.0f} ms, "
            f"{sample[1]:.0f} MiB.\n\n{table}\n")
    print(text)
    os.makedirs(os.path.dirname(a.results), exist_ok=True)
    # Earlier runs (and their write-ups) stay below the new one: the file is the record of
    # how the numbers moved.
    earlier = ""
    if os.path.exists(a.results):
        with open(a.results) as f:
            earlier = f.read().replace("# Full builds side by side\n", "## An earlier run\n", 1)
    with open(a.results, "w") as f:
        f.write(text + ("\n" + earlier if earlier else ""))


if __name__ == "__main__":
    main()
