#!/usr/bin/env python3
"""Corpus step of `make bench`: audit the 128 aws-cloudformation-templates in one process.

Times `sg-provisioner -act audit-security-groups --template DIR --allow-unresolved` (median of
repetitions, hyperfine when available), counts templates, findings and unresolved values from
one JSON run, and appends a section to bench/RESULTS.md beside the peers' figures on the same
directory. Target (issue 11): under 1 s for the 128 templates.

The peers' figures are not re-measured by default (checkov alone takes six minutes): they were
measured on this machine type and are recorded in Tests/Fixtures/corpora/security-groups/README.md
(checkov 3.3.30: 388 s) and issue 11 (Trivy: 12.4 s, one process). BENCH_CORPUS_PEERS=1 re-times
checkov from bench/.venv when it is installed.

Exit 0 when the target is met, 1 when it is missed or cannot be measured.
"""
import argparse
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

TARGET_SECONDS = 1.0
RECORDED_PEERS = [("Trivy (one process)", 12.4), ("checkov 3.3.30", 388.0)]


def median_seconds(argv, cwd, reps, hyperfine):
    if hyperfine:
        with tempfile.NamedTemporaryFile(suffix=".json") as export:
            command = [hyperfine, "--style", "none", "-N", "-i", "--runs", str(reps), "--warmup", "1",
                       "--export-json", export.name, " ".join(shlex.quote(a) for a in argv)]
            subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=True)
            with open(export.name, encoding="utf-8") as handle:
                return json.load(handle)["results"][0]["median"]
    subprocess.run(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    samples = []
    for _ in range(reps):
        start = time.perf_counter()
        subprocess.run(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", required=True)
    parser.add_argument("--corpus", required=True, help="the aws-cloudformation-templates folder")
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--hyperfine", default=shutil.which("hyperfine") or "")
    parser.add_argument("--checkov", default="")
    parser.add_argument("--results", help="Markdown file to append the section to")
    args = parser.parse_args(argv)

    if not args.binary or not os.access(args.binary, os.X_OK):
        print("bench: corpus: no binary to time", file=sys.stderr)
        return 1
    work = tempfile.mkdtemp(prefix="sg-corpus-")  # the audit log lands in work/reports
    corpus = os.path.abspath(args.corpus)
    audit = [os.path.abspath(args.binary), "-act", "audit-security-groups", "--template", corpus, "--allow-unresolved"]
    completed = subprocess.run(audit + ["--output", "json"], cwd=work, capture_output=True, text=True)
    if completed.returncode not in (0, 1):
        print("bench: corpus: the audit exited %d: %s" % (completed.returncode, completed.stderr[-400:]), file=sys.stderr)
        return 1
    document = json.loads(completed.stdout)
    summary = document["summary"]
    if document["errors"]:
        print("bench: corpus: the audit reported errors: %s" % document["errors"][:3], file=sys.stderr)
        return 1
    findings = sum(summary[level] for level in ("critical", "high", "medium", "low", "info"))
    by_level = ", ".join("%d %s" % (summary[level], level) for level in ("critical", "high", "medium", "low", "info"))
    print("bench: corpus: %d templates, %d findings x%d" % (summary["files"], findings, args.reps), flush=True)
    ours = median_seconds(audit, work, args.reps, args.hyperfine)
    load = os.getloadavg()[0]

    peers = list(RECORDED_PEERS)
    if os.environ.get("BENCH_CORPUS_PEERS") == "1" and args.checkov:
        print("bench: corpus: checkov over the corpus (minutes)", flush=True)
        start = time.perf_counter()
        subprocess.run([args.checkov, "-d", corpus, "--framework", "cloudformation", "--quiet", "--compact",
                        "--skip-download"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        peers = [(name, seconds) for name, seconds in peers if not name.startswith("checkov")]
        peers.append(("checkov (measured now)", time.perf_counter() - start))

    met = ours < TARGET_SECONDS
    lines = [
        "",
        "## Audit: the aws-cloudformation-templates corpus in one process (issue 11)",
        "",
        "`audit-security-groups --template Tests/Fixtures/corpora/security-groups/aws-cloudformation-templates "
        "--allow-unresolved`, median of %d runs, 1-minute load average %.2f at the time:" % (args.reps, load),
        "",
        "| tool | templates | findings | unresolved | wall s | vs sg-provisioner |",
        "|---|---:|---:|---:|---:|---:|",
        "| sg-provisioner | %d | %d (%s) | %d | %.3f | 1x |" % (summary["files"], findings, by_level, summary["unresolved"], ours),
    ]
    for name, seconds in peers:
        lines.append("| %s | %d | | | %.1f | %.0fx slower |" % (name, summary["files"], seconds, seconds / ours))
    lines += ["", "### Target: the 128 templates in under 1 s — %s (%.3f s)" % ("met" if met else "MISSED", ours), ""]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.results:
        with open(args.results, "a", encoding="utf-8") as handle:
            handle.write(text)
    shutil.rmtree(work, ignore_errors=True)
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
