#!/usr/bin/env python3
"""Times sg-provisioner against the libyaml floor and its peers; writes bench/RESULTS.md.

Called by bench/run.sh after it has built the binary and the floor and generated the inputs;
everything it needs arrives as options, so it can also be rerun alone. For each generated size:

1. one status run of `validate-prov-template` (with `--output json`) and one of
   `create-prov-template`, each under /usr/bin/time -v: exit code, crash (signal or an exit code
   the tool does not document), peak RSS, and whether exit 1 meant findings or rejected input;
2. the median of N timed repetitions of: the floor on the scenario file, validate, create, and,
   on every stack template our create wrote, cfn-lint, checkov and cfripper (fewer repetitions:
   they take seconds each). hyperfine when present, else a Python loop;
3. the table, ratios, growth factors and PASS/FAIL against the targets, on stdout and in
   RESULTS.md with a description of the machine.

A piece that cannot run (no binary yet, a peer missing, a crash) becomes "n/a" with the reason in
the notes; the run still completes, and the exit code says whether every target passed.
"""

import argparse
import datetime
import glob
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

# Targets from issue 6, judged on the largest size.
TARGET_VALIDATE_OVER_FLOOR = 3.0
TARGET_CHECKOV_OVER_VALIDATE = 100.0
TARGET_CFNLINT_OVER_VALIDATE = 50.0
TARGET_PEAK_RSS_MIB = 64.0

# The exit codes sg-provisioner documents for these actions: 0 ok, 1 invalid input or findings.
OUR_ALLOWED_EXITS = (0, 1)


class Command:
    """One thing to time: its argv, where to run it, and a name for the table."""

    def __init__(self, name, argv, cwd, reps, warmup):
        self.name = name
        self.argv = argv
        self.cwd = cwd
        self.reps = reps
        self.warmup = warmup


class Timer:
    """Median wall time of repetitions, by hyperfine when available, else a Python loop.

    Output is discarded in both: the benchmark measures work, not terminal speed. Non-zero exits
    are expected (findings) and do not stop the timing; whether an exit was acceptable is
    decided by the status runs, before any timing.
    """

    def __init__(self, hyperfine, timeout):
        self.hyperfine = hyperfine
        self.timeout = timeout

    def median(self, command):
        print("bench:   %s x%d" % (command.name, command.reps), flush=True)
        if self.hyperfine:
            return self._hyperfine(command)
        return self._loop(command)

    def _hyperfine(self, command):
        with tempfile.NamedTemporaryFile(suffix=".json") as export:
            argv = [self.hyperfine, "--style", "none", "-N", "-i", "--runs", str(command.reps),
                    "--warmup", str(command.warmup), "--export-json", export.name,
                    " ".join(shlex.quote(a) for a in command.argv)]
            completed = subprocess.run(argv, cwd=command.cwd, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.PIPE, text=True)
            if completed.returncode != 0:
                raise RuntimeError("hyperfine failed: %s" % completed.stderr.strip()[-400:])
            with open(export.name, encoding="utf-8") as handle:
                result = json.load(handle)["results"][0]
            return result["median"]

    def _loop(self, command):
        for _ in range(command.warmup):
            self._run_once(command)
        return statistics.median(self._run_once(command) for _ in range(command.reps))

    def _run_once(self, command):
        start = time.perf_counter()
        subprocess.run(command.argv, cwd=command.cwd, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=self.timeout)
        return time.perf_counter() - start


class StatusRun:
    """One run under /usr/bin/time -v: exit code, signal, peak RSS, and the captured output."""

    def __init__(self, argv, cwd, timeout, gnu_time):
        self.argv = argv
        self.exit_code = None
        self.signal = None
        self.peak_rss_kib = None
        self.timed_out = False
        self.stdout = ""
        self.stderr = ""
        with tempfile.NamedTemporaryFile(mode="r", suffix=".time") as report:
            wrapped = [gnu_time, "-v", "-o", report.name] + argv if gnu_time else argv
            try:
                completed = subprocess.run(wrapped, cwd=cwd, capture_output=True, text=True,
                                           errors="replace", timeout=timeout)
            except subprocess.TimeoutExpired:
                self.timed_out = True
                return
            self.stdout, self.stderr = completed.stdout, completed.stderr
            self.exit_code = completed.returncode
            if completed.returncode < 0:
                self.signal = -completed.returncode
            text = report.read() if gnu_time else ""
        match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
        if match:
            self.peak_rss_kib = int(match.group(1))
        match = re.search(r"Command terminated by signal (\d+)", text)
        if match:
            self.signal = int(match.group(1))
        match = re.search(r"Exit status: (\d+)", text)
        if match and self.signal is None:
            self.exit_code = int(match.group(1))

    @property
    def crashed(self):
        return self.timed_out or self.signal is not None or self.exit_code not in OUR_ALLOWED_EXITS

    def describe(self):
        if self.timed_out:
            return "timed out"
        if self.signal is not None:
            return "killed by signal %d" % self.signal
        return "exit %d" % self.exit_code

    def output_tail(self, lines=6):
        text = (self.stderr.strip() + "\n" + self.stdout.strip()).strip()
        return " | ".join(text.splitlines()[-lines:])


def peer_versions(peers, hyperfine, gnu_time):
    def first_line(argv):
        try:
            out = subprocess.run(argv, capture_output=True, text=True, timeout=120)
        except (OSError, subprocess.TimeoutExpired) as error:
            return "unavailable (%s)" % error
        text = (out.stdout.strip() or out.stderr.strip()).splitlines()
        return text[0] if text else "unknown"

    versions = {}
    for name, argv in peers.items():
        versions[name] = first_line([argv[0], "--version"]) if argv else "not installed"
    versions["hyperfine"] = first_line([hyperfine, "--version"]) if hyperfine else "not installed (Python timing loop)"
    versions["GNU time"] = first_line([gnu_time, "--version"]) if gnu_time else "not installed (no peak RSS)"
    try:
        versions["libyaml"] = subprocess.run(["pkg-config", "--modversion", "yaml-0.1"], capture_output=True,
                                             text=True).stdout.strip() or "unknown"
    except OSError:
        versions["libyaml"] = "unknown"
    versions["cc"] = first_line(["cc", "--version"])
    return versions


def machine_description(swift_version):
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    memory = "unknown"
    try:
        with open("/proc/meminfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("MemTotal:"):
                    memory = "%.1f GiB" % (int(line.split()[1]) / 1024 / 1024)
                    break
    except OSError:
        pass
    return {
        "nproc": str(os.cpu_count()),
        "CPU": cpu,
        "memory": memory,
        "kernel": platform.release(),
        "Swift": swift_version,
        "date (UTC)": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S"),
        # Other work on a shared machine inflates every time here; the load says how much to trust them.
        "load average at the end (1/5/15 min)": "%.2f / %.2f / %.2f" % os.getloadavg(),
    }


def natural_key(path):
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", path)]


def stack_templates(reports_dir, stack_name):
    """Templates create-prov-template wrote: `{stack}-template.yaml` and `{stack}-rules-N-template.yaml`."""
    found = glob.glob(os.path.join(glob.escape(reports_dir), glob.escape(stack_name) + "*-template.yaml"))
    return sorted(found, key=natural_key)


def validation_verdict(status):
    """For a validate status run with --output json: did exit 1 mean findings, or rejected input?"""
    try:
        document = json.loads(status.stdout)
    except ValueError:
        return None, "stdout is not the JSON document (%s)" % status.output_tail(2)
    errors = document.get("errors") or []
    summary = document.get("summary")
    if errors:
        first = errors[0]
        text = first.get("message", first) if isinstance(first, dict) else first
        return len(errors), "input REJECTED with %d error(s), first: %s" % (len(errors), str(text)[:300])
    return 0, "summary %s" % json.dumps(summary, sort_keys=True)


def fmt_seconds(value):
    if value is None:
        return "n/a"
    if value < 1:
        return "%.4f" % value
    return "%.3f" % value if value < 10 else "%.1f" % value


def fmt_ratio(numerator, denominator):
    if numerator is None or denominator in (None, 0):
        return "n/a"
    return "%.1fx" % (numerator / denominator)


def ratio(numerator, denominator):
    if numerator is None or denominator in (None, 0):
        return None
    return numerator / denominator


def measure_size(entry, args, timer, peers, notes):
    work = args.work
    config = os.path.join(work, entry["config"])
    scenario = os.path.join(work, entry["scenario"])
    reports = os.path.join(work, "reports", entry["name"])
    row = {"name": entry["name"], "tiers": entry["tiers"], "rules": entry["rules"],
           "kib": entry["scenario_bytes"] / 1024, "exits": "n/a", "stacks": 0}
    label = "%s (%d tiers)" % (entry["name"], entry["tiers"])

    row["floor"] = timer.median(Command("floor", [args.floor, scenario], work, args.reps, 1))

    if not args.binary or not os.access(args.binary, os.X_OK):
        notes.append("%s: sg-provisioner binary not available (%s); our columns and the peers are n/a."
                     % (label, args.binary or "not built"))
        return row

    shutil.rmtree(reports, ignore_errors=True)
    os.makedirs(reports)
    common = ["-con", config, "--configs-dir", os.path.join(work, "configs"),
              "--scenarios-dir", os.path.join(work, "scenarios"), "--reports-dir", reports, "--no-color"]
    validate = [args.binary] + common + ["-act", "validate-prov-template"]
    create = [args.binary] + common + ["-act", "create-prov-template"]

    status_validate = StatusRun(validate + ["--output", "json"], work, args.timeout, args.gnu_time)
    status_create = StatusRun(create, work, args.timeout, args.gnu_time)
    row["exits"] = "%s / %s" % (status_validate.describe().replace("exit ", ""), status_create.describe().replace("exit ", ""))
    rss = [s.peak_rss_kib for s in (status_validate, status_create) if s.peak_rss_kib is not None]
    row["rss_mib"] = max(rss) / 1024 if rss else None
    row["crashed"] = status_validate.crashed or status_create.crashed
    if status_validate.crashed:
        notes.append("%s: validate CRASHED (%s): %s" % (label, status_validate.describe(), status_validate.output_tail()))
    else:
        errors, verdict = validation_verdict(status_validate)
        row["input_errors"] = errors
        notes.append("%s: validate %s, %s" % (label, status_validate.describe(), verdict))
    if status_create.crashed:
        notes.append("%s: create CRASHED (%s): %s" % (label, status_create.describe(), status_create.output_tail()))
    elif status_create.exit_code != 0:
        notes.append("%s: create %s: %s" % (label, status_create.describe(), status_create.output_tail()))

    if not status_validate.crashed:
        row["validate"] = timer.median(Command("validate", validate, work, args.reps, 1))
    if not status_create.crashed:
        row["create"] = timer.median(Command("create", create, work, args.reps, 1))

    templates = stack_templates(reports, entry["stack_name"])
    row["stacks"] = len(templates)
    if not templates:
        notes.append("%s: create wrote no %s*-template.yaml in %s; peers not run." % (label, entry["stack_name"], reports))
        return row
    relative = [os.path.relpath(t, work) for t in templates]
    for name in PEER_NAMES:
        if not peers.get(name):
            continue
        argv = peer_argv(name, peers[name], relative)
        probe = run_peer_once(name, argv, work, args.timeout)
        if probe["problem"]:
            notes.append("%s: %s %s on our template(s): %s" % (label, name, probe["exit"], probe["tail"]))
        row[name] = timer.median(Command(name, argv, work, args.peer_reps, 0))
    return row


PEER_NAMES = ("cfn-lint", "checkov", "cfripper")


def peer_argv(name, base, templates):
    """How each peer is asked to check a set of templates: all of them in one process, as a CI
    job would, so its start-up is paid once (the comparison favours the peers, not us)."""
    if name == "cfn-lint":
        return list(base) + list(templates)
    if name == "checkov":
        # --skip-download: no network here, and nothing to fetch for local checks.
        return list(base) + ["--framework", "cloudformation", "--quiet", "--compact", "--skip-download"] \
            + [a for t in templates for a in ("-f", t)]
    if name == "cfripper":
        return list(base) + list(templates) + ["--format", "json"]
    raise ValueError(name)


# Exit codes that mean "ran and judged the template" (findings included), per peer's docs:
# cfn-lint is a bitmask of 2 error / 4 warning / 8 informational; checkov 1 on failed checks;
# cfripper 2 when a template fails its rules.
PEER_JUDGED_EXITS = {"cfn-lint": set(range(0, 16, 2)), "checkov": {0, 1}, "cfripper": {0, 2}}


def run_peer_once(name, argv, cwd, timeout):
    """One untimed run to learn the exit code, and whether the peer failed to analyse at all."""
    start = time.perf_counter()
    try:
        completed = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, errors="replace", timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"exit": "timed out", "problem": True, "tail": "", "seconds": timeout}
    seconds = time.perf_counter() - start
    tail = " | ".join((completed.stderr.strip() or completed.stdout.strip()).splitlines()[-3:])
    problem = completed.returncode not in PEER_JUDGED_EXITS[name]
    return {"exit": "exit %d" % completed.returncode, "problem": problem, "tail": tail[:400], "seconds": seconds}


def smoke_peers(peers, template):
    """Runs every peer once, exactly as the benchmark will, on a hand-written template."""
    folder = os.path.dirname(os.path.abspath(template))
    failures = 0
    for name in PEER_NAMES:
        if not peers.get(name):
            print("SKIP %s: not installed" % name)
            continue
        argv = peer_argv(name, peers[name], [os.path.basename(template)])
        result = run_peer_once(name, argv, folder, 300)
        failures += result["problem"]
        print("%s %s: %s in %.2f s%s" % ("FAIL" if result["problem"] else "ok  ", name, result["exit"], result["seconds"],
                                          (": " + result["tail"]) if result["problem"] else ""))
    return 1 if failures else 0


def growth(rows, key):
    values = [(r["tiers"], r.get(key)) for r in rows]
    parts = []
    for (small, before), (large, after) in zip(values, values[1:]):
        if before and after:
            parts.append("%d -> %d tiers: x%.1f" % (small, large, after / before))
        else:
            parts.append("%d -> %d tiers: n/a" % (small, large))
    return "; ".join(parts) if parts else "n/a (one size only)"


def verdict(value, passes):
    if value is None:
        return "N/A"
    return "PASS" if passes(value) else "FAIL"


def render(rows, notes, machine, versions, args):
    header = ["input KiB", "tiers", "rules", "stacks", "floor s", "validate s", "create s", "cfn-lint s", "checkov s",
              "cfripper s", "validate/floor", "checkov/validate", "cfn-lint/validate", "peak RSS MiB",
              "exit validate / create"]
    table = [header, ["---:"] * (len(header) - 1) + [":---"]]
    for r in rows:
        table.append([
            "%.0f" % r["kib"], str(r["tiers"]), str(r["rules"]), str(r["stacks"]),
            fmt_seconds(r.get("floor")), fmt_seconds(r.get("validate")), fmt_seconds(r.get("create")),
            fmt_seconds(r.get("cfn-lint")), fmt_seconds(r.get("checkov")), fmt_seconds(r.get("cfripper")),
            fmt_ratio(r.get("validate"), r.get("floor")), fmt_ratio(r.get("checkov"), r.get("validate")),
            fmt_ratio(r.get("cfn-lint"), r.get("validate")),
            "%.1f" % r["rss_mib"] if r.get("rss_mib") is not None else "n/a", r["exits"],
        ])
    table_text = "\n".join("| " + " | ".join(cells) + " |" for cells in table)

    largest = rows[-1]
    crashed = [r["name"] for r in rows if r.get("crashed")]
    rejected = [r["name"] for r in rows if r.get("input_errors")]
    peak_rss = max((r["rss_mib"] for r in rows if r.get("rss_mib") is not None), default=None)
    targets = [
        ("validate within %.0fx of the libyaml floor (largest input)" % TARGET_VALIDATE_OVER_FLOOR,
         fmt_ratio(largest.get("validate"), largest.get("floor")),
         verdict(ratio(largest.get("validate"), largest.get("floor")), lambda v: v <= TARGET_VALIDATE_OVER_FLOOR)),
        (">= %.0fx faster than checkov (largest input)" % TARGET_CHECKOV_OVER_VALIDATE,
         fmt_ratio(largest.get("checkov"), largest.get("validate")),
         verdict(ratio(largest.get("checkov"), largest.get("validate")), lambda v: v >= TARGET_CHECKOV_OVER_VALIDATE)),
        (">= %.0fx faster than cfn-lint (largest input)" % TARGET_CFNLINT_OVER_VALIDATE,
         fmt_ratio(largest.get("cfn-lint"), largest.get("validate")),
         verdict(ratio(largest.get("cfn-lint"), largest.get("validate")), lambda v: v >= TARGET_CFNLINT_OVER_VALIDATE)),
        ("peak RSS < %.0f MiB (every size, validate and create)" % TARGET_PEAK_RSS_MIB,
         "%.1f MiB" % peak_rss if peak_rss is not None else "n/a",
         verdict(peak_rss, lambda v: v < TARGET_PEAK_RSS_MIB)),
        ("never crashes; accepts every generated input (exit 0, or 1 with findings only)",
         "crashed: %s; input rejected: %s" % (", ".join(crashed) or "none", ", ".join(rejected) or "none"),
         "N/A" if all(r["exits"] == "n/a" for r in rows) else ("FAIL" if crashed or rejected else "PASS")),
    ]
    target_text = "\n".join("| %s | %s | %s |" % t for t in targets)

    lines = [
        "# sg-provisioner benchmark results",
        "",
        "Generated by `bash bench/run.sh` (do not edit by hand). Times are medians of %d repetitions "
        "(%d for cfn-lint, checkov and cfripper), wall clock, in seconds; timed with %s."
        % (args.reps, args.peer_reps, "hyperfine" if args.hyperfine else "a Python loop (hyperfine missing)"),
        "Inputs come from `bench/generate.py` (fixed seed %s, %s rules per tier). The floor is libyaml's "
        "event parser alone over the scenario file (`bench/yaml_floor.c`). Peers run on the template(s) "
        "our `create-prov-template` wrote for the same input, all stack files in one call."
        % (args.seed, args.rules_per_tier),
        "",
        table_text,
        "",
        "Growth of our time (validate): %s." % growth(rows, "validate"),
        "Growth of our time (create): %s." % growth(rows, "create"),
        "Growth of the floor: %s." % growth(rows, "floor"),
        "",
        "## Targets (issue 6)",
        "",
        "| target | measured | verdict |",
        "| :--- | :--- | :--- |",
        target_text,
        "",
        "## Notes",
        "",
    ] + ["- " + n for n in notes] + [
        "",
        "## Machine",
        "",
    ] + ["- %s: %s" % (k, v) for k, v in machine.items()] + [
        "- binary: %s" % (args.binary or "n/a"),
        "- binary version: %s" % args.binary_version,
        "- source: %s" % args.commit,
        "",
        "## Versions",
        "",
    ] + ["- %s: %s" % (k, v) for k, v in versions.items()] + [""]
    # The engineers' reading of the numbers (where the time goes, why a target is missed) lives in
    # bench/ANALYSIS.md, so regenerating the tables never loses it.
    analysis = os.path.join(os.path.dirname(os.path.abspath(__file__)), "ANALYSIS.md")
    if os.path.exists(analysis):
        with open(analysis, encoding="utf-8") as handle:
            lines += ["## Analysis (hand-written: bench/ANALYSIS.md, appended by measure.py)", "", handle.read().rstrip(), ""]
    return "\n".join(lines), table_text, targets


def parse_peer(text):
    return shlex.split(text) if text else None


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke-peers", metavar="TEMPLATE", help="only run each peer once on TEMPLATE and exit")
    parser.add_argument("--work", help="folder with manifest.json, configs/, scenarios/")
    parser.add_argument("--floor", help="the built yaml_floor")
    parser.add_argument("--binary", default="", help="the release sg-provisioner (empty: not available)")
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--peer-reps", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument("--hyperfine", default=shutil.which("hyperfine") or "")
    parser.add_argument("--gnu-time", default="/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else "")
    parser.add_argument("--cfn-lint", default="")
    parser.add_argument("--checkov", default="")
    parser.add_argument("--cfripper", default="")
    parser.add_argument("--swift-version", default="unknown")
    parser.add_argument("--commit", default="unknown")
    parser.add_argument("--results", help="Markdown file to write")
    args = parser.parse_args(argv)
    peers = {"cfn-lint": parse_peer(args.cfn_lint), "checkov": parse_peer(args.checkov), "cfripper": parse_peer(args.cfripper)}
    if args.smoke_peers:
        return smoke_peers(peers, args.smoke_peers)
    if not (args.work and args.floor and args.results):
        parser.error("--work, --floor and --results are required")
    args.work = os.path.abspath(args.work)
    args.floor = os.path.abspath(args.floor)
    if args.binary:
        args.binary = os.path.abspath(args.binary)
    if args.reps < 1 or args.peer_reps < 1:
        parser.error("repetitions must be at least 1")

    with open(os.path.join(args.work, "manifest.json"), encoding="utf-8") as handle:
        manifest = json.load(handle)
    args.binary_version = "n/a"
    if args.binary and os.access(args.binary, os.X_OK):
        probe = subprocess.run([args.binary, "--version"], capture_output=True, text=True, errors="replace")
        args.binary_version = (probe.stdout.strip() or probe.stderr.strip() or "unknown").splitlines()[0]
    args.seed = manifest["seed"]
    args.rules_per_tier = manifest["rules_per_tier"]
    timer = Timer(args.hyperfine or None, args.timeout)
    notes = []
    for name, command in peers.items():
        if not command:
            notes.append("%s not installed: its column is n/a." % name)
    rows = []
    for entry in sorted(manifest["sizes"], key=lambda e: e["tiers"]):
        print("bench: measuring %s (%d tiers, %d rules)..." % (entry["name"], entry["tiers"], entry["rules"]), flush=True)
        rows.append(measure_size(entry, args, timer, peers, notes))

    machine = machine_description(args.swift_version)
    versions = peer_versions(peers, args.hyperfine, args.gnu_time)
    markdown, table_text, targets = render(rows, notes, machine, versions, args)
    with open(args.results, "w", encoding="utf-8") as handle:
        handle.write(markdown)
    print()
    print(table_text)
    print()
    for name, measured, result in targets:
        print("%-4s %s: %s" % (result, name, measured))
    for note in notes:
        print("note: " + note)
    print("\nbench: wrote %s" % args.results)
    return 0 if all(t[2] == "PASS" for t in targets) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
