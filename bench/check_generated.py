#!/usr/bin/env python3
"""Checks that bench/generate.py makes inputs the tool must accept, and makes them reproducibly.

Until the real binary validates them end to end, this is what stands between the benchmark and
timing an error path: it re-reads the generated YAML with an independent parser (PyYAML) and
checks every invariant the tool enforces on inputs. Prints one line per check and a closing
'N passed, N failed' line; exits 1 on any failure.

Usage: check_generated.py [--sizes 10,100,1000]   (generates into a temporary folder)
"""

import argparse
import hashlib
import ipaddress
import os
import re
import sys
import tempfile

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import generate  # noqa: E402  (the generator under test lives beside this file)

NAME = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")
TIER_NAME = re.compile(r"^t[0-9]{4}$")
DESCRIPTION = re.compile(r"^[a-zA-Z0-9. _\-:/()#,@\[\]+=&;{}!$*]{1,255}$")
VPC_ID = re.compile(r"^vpc-[0-9a-f]{17}$")
PROTOCOLS = {"tcp", "udp", "icmp", "icmpv6", "all"}
CONFIG_KEYS = {"company_prefix", "environment", "deployment_id", "region", "vpc_id", "vpc_cidr", "scenario", "tags"}


class Checker:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, label, problems):
        """Records one check; `problems` is a list of strings, empty when the check holds."""
        if problems:
            self.failed += 1
            print("FAIL %s: %d problem(s), first: %s" % (label, len(problems), "; ".join(problems[:3])))
        else:
            self.passed += 1
            print("ok   %s" % label)


def rule_problems(tier, direction, rule, tier_names):
    where = "%s.%s %r" % (tier, direction, rule)
    problems = []
    prefix = "source" if direction == "ingress" else "destination"
    peers = [k for k in rule if k.startswith(prefix)]
    foreign = [k for k in rule if k.startswith("source" if direction == "egress" else "destination")]
    if len(peers) != 1 or foreign:
        return ["%s: needs exactly one %s* peer" % (where, prefix)]
    peer_key = peers[0]
    peer = str(rule[peer_key])
    protocol = str(rule.get("protocol"))
    if protocol not in PROTOCOLS:
        problems.append("%s: protocol" % where)
    if peer_key == prefix + "_tier":
        if peer not in tier_names:
            problems.append("%s: unknown tier %s" % (where, peer))
    elif peer_key == prefix:
        try:
            network = ipaddress.ip_network(peer, strict=True)
        except ValueError as error:
            problems.append("%s: CIDR %s" % (where, error))
            network = None
        if network is not None:
            if protocol == "icmp" and network.version != 4:
                problems.append("%s: icmp with IPv6 peer" % where)
            if protocol == "icmpv6" and network.version != 6:
                problems.append("%s: icmpv6 with IPv4 peer" % where)
            if network.prefixlen == 0 and rule.get("port") != 443:
                problems.append("%s: world rule other than 443 (would be a HIGH finding)" % where)
    else:
        problems.append("%s: unexpected peer kind %s" % (where, peer_key))
    has_port = "port" in rule or "port_range" in rule
    if protocol in ("tcp", "udp"):
        if ("port" in rule) == ("port_range" in rule):
            problems.append("%s: tcp/udp needs exactly one of port, port_range" % where)
        if "port" in rule and not (isinstance(rule["port"], int) and 0 <= rule["port"] <= 65535):
            problems.append("%s: port" % where)
        if "port_range" in rule:
            low, _, high = str(rule["port_range"]).partition("-")
            if not (low.isdigit() and high.isdigit() and 0 <= int(low) < int(high) <= 65535):
                problems.append("%s: port_range" % where)
    elif has_port:
        problems.append("%s: ports on %s" % (where, protocol))
    if protocol in ("icmp", "icmpv6") and not ("icmp_type" in rule and "icmp_code" in rule):
        problems.append("%s: icmp type/code" % where)
    description = rule.get("description")
    if not isinstance(description, str) or not DESCRIPTION.match(description):
        problems.append("%s: description charset/length" % where)
    return problems


def rule_identity(rule):
    """The tool's RuleKey: everything but the description."""
    return tuple(sorted((k, str(v)) for k, v in rule.items() if k != "description"))


def check_size(checker, out_dir, entry):
    label = entry["name"]
    with open(os.path.join(out_dir, entry["config"]), encoding="utf-8") as handle:
        config = yaml.safe_load(handle)
    with open(os.path.join(out_dir, entry["scenario"]), encoding="utf-8") as handle:
        scenario = yaml.safe_load(handle)

    problems = []
    if set(config) != CONFIG_KEYS:
        problems.append("config keys %s" % sorted(config))
    for key in ("company_prefix", "environment", "deployment_id"):
        if not NAME.match(str(config.get(key, ""))):
            problems.append("%s pattern" % key)
    if config.get("region") != "us-east-1":
        problems.append("region")
    if not VPC_ID.match(str(config.get("vpc_id"))):
        problems.append("vpc_id %s" % config.get("vpc_id"))
    ipaddress.ip_network(config["vpc_cidr"], strict=True)
    if config.get("scenario") != os.path.splitext(os.path.basename(entry["scenario"]))[0]:
        problems.append("scenario name does not match the scenario file")
    if scenario.get("name") != config.get("scenario"):
        problems.append("scenario's own name differs from the config's reference")
    checker.check("%s: config keys, names, vpc" % label, problems)

    tiers = scenario["tiers"]
    tier_names = set(tiers)
    checker.check("%s: tier count %d" % (label, entry["tiers"]),
                  [] if len(tiers) == entry["tiers"] else ["got %d" % len(tiers)])
    checker.check("%s: tier names t0001-style and valid group names" % label,
                  [n for n in tiers if not TIER_NAME.match(n) or not NAME.match(n)])

    problems, counts, duplicates = [], [], []
    total = references = world = ipv6 = icmp = ranges = closed = public = 0
    for name, tier in tiers.items():
        if not DESCRIPTION.match(tier.get("description", "")):
            problems.append("%s description" % name)
        public += bool(tier.get("public"))
        if tier.get("egress") == []:
            closed += 1
        for direction in ("ingress", "egress"):
            rules = tier.get(direction)
            if rules is None:
                problems.append("%s.%s missing (omitted egress means allow-all: not wanted here)" % (name, direction))
                continue
            if len(rules) > 60:
                counts.append("%s.%s has %d rules" % (name, direction, len(rules)))
            seen = set()
            for rule in rules:
                problems.extend(rule_problems(name, direction, rule, tier_names))
                identity = rule_identity(rule)
                if identity in seen:
                    duplicates.append("%s.%s %r" % (name, direction, rule))
                seen.add(identity)
                total += 1
                peer = rule.get("source", rule.get("destination"))
                references += any(k.endswith("_tier") for k in rule)
                world += peer in ("0.0.0.0/0", "::/0")
                ipv6 += peer is not None and ":" in str(peer)
                icmp += rule["protocol"] in ("icmp", "icmpv6")
                ranges += "port_range" in rule
    checker.check("%s: every rule well-formed (peer, protocol/ports, CIDR, description)" % label, problems)
    checker.check("%s: <= 60 rules per direction per tier" % label, counts)
    checker.check("%s: no duplicate rules" % label, duplicates)
    checker.check("%s: rule total %d" % (label, entry["rules"]),
                  [] if total == entry["rules"] == entry["tiers"] * 20 else ["got %d" % total])
    share = references / total
    checker.check("%s: tier references %.0f%% (want ~60%%)" % (label, share * 100),
                  [] if 0.55 <= share <= 0.65 else ["share %.2f" % share])
    checker.check("%s: the mix has world, IPv6, ICMP, ranges, public and egress-closed tiers" % label,
                  [k for k, v in (("world", world), ("ipv6", ipv6), ("icmp", icmp), ("ranges", ranges),
                                  ("public", public), ("closed", closed)) if v == 0])

    # Reference cycles: at least one pair of tiers that reference each other.
    edges = set()
    for name, tier in tiers.items():
        for direction in ("ingress", "egress"):
            for rule in tier.get(direction) or []:
                other = rule.get("source_tier") or rule.get("destination_tier")
                if other and other != name:
                    edges.add((name, other))
    cycles = sum(1 for a, b in edges if (b, a) in edges)
    checker.check("%s: tier reference cycles present (%d mutual pairs)" % (label, cycles // 2),
                  [] if cycles else ["none"])


def digest(folder):
    sha = hashlib.sha256()
    for root, _, files in sorted(os.walk(folder)):
        for name in sorted(files):
            path = os.path.join(root, name)
            sha.update(os.path.relpath(path, folder).encode())
            with open(path, "rb") as handle:
                sha.update(handle.read())
    return sha.hexdigest()


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100,1000")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    checker = Checker()
    with tempfile.TemporaryDirectory() as first, tempfile.TemporaryDirectory() as second:
        manifest = generate.generate(first, sizes, generate.DEFAULT_RULES_PER_TIER, generate.DEFAULT_SEED)
        generate.generate(second, sizes, generate.DEFAULT_RULES_PER_TIER, generate.DEFAULT_SEED)
        checker.check("fixed seed: two runs give byte-identical files", [] if digest(first) == digest(second) else ["differ"])
        for entry in manifest["sizes"]:
            check_size(checker, first, entry)
    print("%d passed, %d failed" % (checker.passed, checker.failed))
    return 1 if checker.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
