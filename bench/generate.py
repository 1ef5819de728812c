#!/usr/bin/env python3
"""Generates benchmark inputs for sg-provisioner: one config and one scenario per size.

The inputs are deterministic (a fixed seed and no clock), so two runs on two machines time the
same bytes. Every input is meant to be VALID for the tool: the benchmark measures the happy path
of a large deployment, not error reporting. The invariants the tool enforces (tier-name pattern,
at most 60 rules per direction per tier, no duplicate rules, AWS's description charset and
length, references only to tiers that exist) are checked by bench/check_generated.py.

The mix aims at what a real platform team writes: most rules reference other tiers (and tiers
reference each other both ways, so the compiler must break reference cycles), the rest are
private /24s, some IPv6 /48s, ICMP, port ranges, a few public tiers that accept 443 from the
world, and some fully isolated tiers (`egress: []`).

Usage: generate.py [--out DIR] [--sizes 10,100,1000] [--rules-per-tier 20] [--seed N]
Writes DIR/configs/bench-tN.yaml, DIR/scenarios/bench-tN.yaml and DIR/manifest.json.
"""

import argparse
import json
import os
import random
import re
import sys

DEFAULT_SEED = 20260505
DEFAULT_SIZES = (10, 100, 1000)
DEFAULT_RULES_PER_TIER = 20

COMPANY = "benchco"
ENVIRONMENT = "perf"
REGION = "us-east-1"
VPC_CIDR = "10.0.0.0/16"

# Shares of a tier's rules; the rest are CIDR rules. Tier references are ~60% of all rules.
TIER_REFERENCE_SHARE = 0.60
PUBLIC_TIER_SHARE = 0.05
CLOSED_EGRESS_SHARE = 0.10
# A tier's rules split between directions when it has egress at all.
EGRESS_SHARE = 0.40

# Ports a service mesh really uses; tier references may use database ports (that is the safe way).
SERVICE_PORTS = (80, 443, 2049, 3000, 3306, 5432, 5672, 6379, 8000, 8080, 8081, 8443, 8500,
                 9000, 9090, 9092, 9100, 9200, 9300, 11211, 15672, 27017)
PORT_RANGES = ((30000, 32767), (9092, 9094), (8000, 8099), (6000, 6010), (49152, 65535),
               (1024, 2047), (7000, 7001), (4369, 4370))
UDP_PORTS = (53, 123, 161, 514, 4789, 8125)
ICMP_TYPES = ((8, 0), (0, 0), (3, 4), (11, 0))
ICMPV6_TYPES = ((128, 0), (129, 0), (2, 0))

SERVICES = ("api", "orders", "billing", "search", "auth", "ledger", "cache", "queue", "events",
            "reports", "media", "profile", "gateway", "metrics", "notify", "batch")

DESCRIPTION_CHARSET = re.compile(r"^[a-zA-Z0-9. _\-:/()#,@\[\]+=&;{}!$*]*$")
PLAIN_SCALAR = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._/-]*$")


def yaml_scalar(text):
    """Quotes a string only when a plain YAML scalar could be misread.

    Descriptions may contain `#`, `,`, `[`, `{`, `:` (all allowed by AWS), which end or change a
    plain scalar in flow context, so anything beyond a conservative set is double-quoted. The AWS
    charset contains neither `\\` nor `"`, so no escaping is needed; assert it anyway.
    """
    if PLAIN_SCALAR.match(text) and not text.endswith(" ") and text not in ("true", "false", "null", "yes", "no", "on", "off"):
        return text
    assert '"' not in text and "\\" not in text, text
    return '"' + text + '"'


def tier_name(index):
    return "t%04d" % index


class TierRules:
    """The rules of one tier and direction, with a set of identities to refuse duplicates.

    The identity mirrors the tool's RuleKey: protocol, ports (or ICMP type/code) and peer; the
    description does not count, so two rules differing only by description are duplicates.
    """

    def __init__(self):
        self.rules = []
        self.keys = set()

    def add(self, rule):
        key = (rule["protocol"], rule.get("port"), rule.get("port_range"), rule.get("icmp_type"),
               rule.get("icmp_code"), rule["peer_kind"], rule["peer"])
        if key in self.keys:
            return False
        self.keys.add(key)
        self.rules.append(rule)
        return True


class ScenarioGenerator:
    """Builds one scenario of `tier_count` tiers with `rules_per_tier` rules each."""

    def __init__(self, tier_count, rules_per_tier, seed):
        self.tier_count = tier_count
        self.rules_per_tier = rules_per_tier
        # A per-size stream derived from the seed: sizes do not depend on which other sizes ran.
        self.rng = random.Random("%d-%d-%d" % (seed, tier_count, rules_per_tier))
        self.names = [tier_name(i + 1) for i in range(tier_count)]
        count_public = max(1, round(tier_count * PUBLIC_TIER_SHARE))
        count_closed = max(1, round(tier_count * CLOSED_EGRESS_SHARE))
        order = list(range(tier_count))
        self.rng.shuffle(order)
        self.public = set(order[:count_public])
        self.closed = set(order[count_public:count_public + count_closed])
        self.service = [self.rng.choice(SERVICES) for _ in range(tier_count)]

    # -- peers ---------------------------------------------------------------------------

    def neighbour_tiers(self, index):
        """Tiers this one talks to: both ring neighbours (so A->B and B->A exist: cycles), some
        random ones, and sometimes itself (a self-referencing node group)."""
        n = self.tier_count
        picks = [(index + 1) % n, (index - 1) % n]
        if self.rng.random() < 0.15:
            picks.append(index)
        return picks

    def random_tier(self):
        return self.rng.randrange(self.tier_count)

    def private_cidr(self):
        roll = self.rng.random()
        if roll < 0.6:
            return "10.0.%d.0/24" % self.rng.randrange(256)
        if roll < 0.85:
            return "172.%d.%d.0/24" % (self.rng.randrange(16, 32), self.rng.randrange(256))
        return "192.168.%d.0/24" % self.rng.randrange(256)

    def ipv6_cidr(self):
        return "2001:db8:%x::/48" % self.rng.randrange(1, 0x10000)

    # -- rules ---------------------------------------------------------------------------

    def traffic(self, family):
        """A protocol/port part of a rule and a short label for descriptions.

        `family` is the peer's address family ("v4", "v6", or "any" for a tier): ICMP goes only
        with IPv4 peers and ICMPv6 only with IPv6 peers, as EC2 requires.
        """
        roll = self.rng.random()
        if family == "v6" and 0.87 <= roll < 0.97:
            roll = 0.98
        elif family == "v4" and roll >= 0.97:
            roll = 0.9
        if roll < 0.62:
            port = self.rng.choice(SERVICE_PORTS)
            return {"protocol": "tcp", "port": port}, "%d/tcp" % port
        if roll < 0.77:
            low, high = self.rng.choice(PORT_RANGES)
            proto = "tcp" if self.rng.random() < 0.8 else "udp"
            return {"protocol": proto, "port_range": "%d-%d" % (low, high)}, "%d-%d/%s" % (low, high, proto)
        if roll < 0.87:
            port = self.rng.choice(UDP_PORTS)
            return {"protocol": "udp", "port": port}, "%d/udp" % port
        if roll < 0.97:
            icmp_type, icmp_code = self.rng.choice(ICMP_TYPES)
            return {"protocol": "icmp", "icmp_type": icmp_type, "icmp_code": icmp_code}, "icmp %d:%d" % (icmp_type, icmp_code)
        icmp_type, icmp_code = self.rng.choice(ICMPV6_TYPES)
        return {"protocol": "icmpv6", "icmp_type": icmp_type, "icmp_code": icmp_code}, "icmpv6 %d:%d" % (icmp_type, icmp_code)

    def description(self, direction, peer_text, label, index):
        """A description in AWS's charset, exercising its special characters now and then."""
        service = self.service[index]
        verb = "from" if direction == "ingress" else "to"
        roll = self.rng.random()
        if roll < 0.55:
            text = "%s %s %s" % (service.capitalize(), verb, peer_text)
        elif roll < 0.75:
            text = "%s %s %s (%s)" % (service.capitalize(), verb, peer_text, label)
        elif roll < 0.85:
            text = "Ticket #%d: %s %s %s" % (self.rng.randrange(1000, 99999), service, verb, peer_text)
        elif roll < 0.93:
            text = "[%s] %s %s; owner=%s@platform" % (service, verb, peer_text, service)
        else:
            text = "{%s} %s, %s + monitoring & alerts!" % (service, label, peer_text)
        assert DESCRIPTION_CHARSET.match(text) and len(text) <= 255, text
        return text

    def make_rule(self, index, direction, peer_kind, peer, peer_text, traffic=None):
        family = "any" if peer_kind.endswith("_tier") else ("v6" if ":" in peer else "v4")
        body, label = traffic if traffic else self.traffic(family)
        rule = dict(body)
        rule["peer_kind"] = peer_kind
        rule["peer"] = peer
        rule["description"] = self.description(direction, peer_text, label, index)
        return rule

    def tier_rules(self, index, direction, count):
        rules = TierRules()
        is_public = index in self.public
        prefix = "source" if direction == "ingress" else "destination"
        reference_count = round(count * TIER_REFERENCE_SHARE)
        # World rules: a public tier accepts 443 from the world (LOW); some tiers call AWS APIs.
        if direction == "ingress" and is_public:
            rules.add(self.make_rule(index, direction, prefix, "0.0.0.0/0", "internet", ({"protocol": "tcp", "port": 443}, "443/tcp")))
            rules.add(self.make_rule(index, direction, prefix, "::/0", "internet IPv6", ({"protocol": "tcp", "port": 443}, "443/tcp")))
        if count == 0:
            return []
        if direction == "egress" and self.rng.random() < 0.3:
            rules.add(self.make_rule(index, direction, prefix, "0.0.0.0/0", "AWS APIs", ({"protocol": "tcp", "port": 443}, "443/tcp")))
        neighbours = self.neighbour_tiers(index)
        attempts = 0
        while len(rules.rules) < count:
            attempts += 1
            if attempts > count * 200:
                raise RuntimeError("cannot find %d distinct rules for %s %s" % (count, tier_name(index + 1), direction))
            references = sum(1 for r in rules.rules if r["peer_kind"] == prefix + "_tier")
            if references < reference_count:
                target = neighbours[references] if references < len(neighbours) else self.random_tier()
                rules.add(self.make_rule(index, direction, prefix + "_tier", self.names[target], self.names[target]))
            elif self.rng.random() < 0.8:
                cidr = self.private_cidr()
                rules.add(self.make_rule(index, direction, prefix, cidr, cidr))
            else:
                cidr = self.ipv6_cidr()
                rules.add(self.make_rule(index, direction, prefix, cidr, cidr))
        return rules.rules

    def tiers(self):
        result = []
        for index, name in enumerate(self.names):
            closed = index in self.closed
            egress_count = 0 if closed else round(self.rules_per_tier * EGRESS_SHARE)
            ingress_count = self.rules_per_tier - egress_count
            assert ingress_count <= 60 and egress_count <= 60
            result.append({
                "name": name,
                "description": "%s service tier %s" % (self.service[index].capitalize(), name),
                "public": index in self.public,
                "ingress": self.tier_rules(index, "ingress", ingress_count),
                "egress": self.tier_rules(index, "egress", egress_count),
            })
        return result


def render_rule(rule, direction, block_style):
    fields = [("protocol", rule["protocol"])]
    for key in ("port", "port_range", "icmp_type", "icmp_code"):
        if key in rule:
            fields.append((key, str(rule[key])))
    fields.append((rule["peer_kind"], rule["peer"]))
    fields.append(("description", rule["description"]))
    if block_style:
        lines = []
        for position, (key, value) in enumerate(fields):
            lead = "      - " if position == 0 else "        "
            lines.append("%s%s: %s" % (lead, key, yaml_scalar(str(value))))
        return "\n".join(lines)
    return "      - { %s }" % ", ".join("%s: %s" % (k, yaml_scalar(str(v))) for k, v in fields)


def render_scenario(name, tiers, rng):
    out = ["# Generated by bench/generate.py (fixed seed): benchmark input, not a real deployment.",
           "name: %s" % name,
           "description: Benchmark scenario with %d tiers" % len(tiers),
           "tiers:"]
    for tier in tiers:
        out.append("  %s:" % tier["name"])
        out.append("    description: %s" % yaml_scalar(tier["description"]))
        if tier["public"]:
            out.append("    public: true")
        # Most tiers use the compact flow style of the examples; some use block style, as people do.
        block_style = rng.random() < 0.2
        for direction in ("ingress", "egress"):
            rules = tier[direction]
            if not rules:
                out.append("    %s: []" % direction)
                continue
            out.append("    %s:" % direction)
            for rule in rules:
                out.append(render_rule(rule, direction, block_style))
    return "\n".join(out) + "\n"


def render_config(size, scenario_name, rng):
    vpc_id = "vpc-" + "".join(rng.choice("0123456789abcdef") for _ in range(17))
    return "\n".join([
        "# Generated by bench/generate.py (fixed seed): benchmark input, not a real deployment.",
        "company_prefix: %s" % COMPANY,
        "environment: %s" % ENVIRONMENT,
        "deployment_id: %s" % deployment_id(size),
        "region: %s" % REGION,
        "vpc_id: %s" % vpc_id,
        "vpc_cidr: %s" % VPC_CIDR,
        "scenario: %s" % scenario_name,
        "tags:",
        "  cost_center: Performance Engineering",
        "  project: Benchmark %d tiers" % size,
        "  owner: bench-team",
        "  compliance: none",
        "  data_classification: internal",
    ]) + "\n"


def deployment_id(size):
    return "n%d" % size


def generate(out_dir, sizes, rules_per_tier, seed):
    configs = os.path.join(out_dir, "configs")
    scenarios = os.path.join(out_dir, "scenarios")
    os.makedirs(configs, exist_ok=True)
    os.makedirs(scenarios, exist_ok=True)
    manifest = {"seed": seed, "rules_per_tier": rules_per_tier, "sizes": []}
    for size in sizes:
        name = "bench-t%d" % size
        generator = ScenarioGenerator(size, rules_per_tier, seed)
        tiers = generator.tiers()
        scenario_text = render_scenario(name, tiers, generator.rng)
        config_text = render_config(size, name, generator.rng)
        scenario_path = os.path.join(scenarios, name + ".yaml")
        config_path = os.path.join(configs, name + ".yaml")
        for path, text in ((scenario_path, scenario_text), (config_path, config_text)):
            with open(path, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
        rules = sum(len(t["ingress"]) + len(t["egress"]) for t in tiers)
        references = sum(1 for t in tiers for d in ("ingress", "egress") for r in t[d] if r["peer_kind"].endswith("_tier"))
        manifest["sizes"].append({
            "name": name,
            "tiers": size,
            "rules": rules,
            "tier_reference_rules": references,
            "config": os.path.relpath(config_path, out_dir),
            "scenario": os.path.relpath(scenario_path, out_dir),
            "scenario_bytes": len(scenario_text.encode()),
            # Where create-prov-template writes: {company}-{env}-{id}-{region}-sg-stack[-rules-N]-template.yaml
            "stack_name": "%s-%s-%s-%s-sg-stack" % (COMPANY, ENVIRONMENT, deployment_id(size), REGION),
        })
    with open(os.path.join(out_dir, "manifest.json"), "w", encoding="utf-8") as handle:
        json.dump(manifest, handle, indent=2, sort_keys=True)
        handle.write("\n")
    return manifest


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "work"))
    parser.add_argument("--sizes", default=",".join(str(s) for s in DEFAULT_SIZES),
                        help="comma-separated tier counts (default 10,100,1000)")
    parser.add_argument("--rules-per-tier", type=int, default=DEFAULT_RULES_PER_TIER)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if any(s < 2 or s > 9999 for s in sizes):
        parser.error("sizes must be between 2 and 9999 tiers (tier names are t0001..t9999)")
    if not 4 <= args.rules_per_tier <= 60:
        parser.error("--rules-per-tier must be 4..60 (AWS allows 60 per direction; closed tiers put all on ingress)")
    manifest = generate(args.out, sizes, args.rules_per_tier, args.seed)
    for entry in manifest["sizes"]:
        print("generated %s: %d tiers, %d rules (%d tier references), %d bytes" % (
            entry["scenario"], entry["tiers"], entry["rules"], entry["tier_reference_rules"], entry["scenario_bytes"]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
