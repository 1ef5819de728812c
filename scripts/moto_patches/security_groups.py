"""Security groups as CloudFormation builds them: AWS::EC2::SecurityGroup with its inline rules,
AWS::EC2::SecurityGroupIngress and AWS::EC2::SecurityGroupEgress, created, updated in place and
deleted the way AWS documents, and rule descriptions EC2 reports for every kind of peer.

moto 5.2.1 ignores a group's inline egress, drops IPv6 ranges and every description, fails on an
inline rule without ports (IpProtocol -1), has no AWS::EC2::SecurityGroupEgress at all, never
removes a standalone ingress rule, and replaces every group on any stack update (new ids, rules of
other groups left pointing at the old ones). The handlers below go through moto's own EC2 backend
(authorize, revoke, tags), so EC2's API sees exactly what it would after the same calls by hand.
"""
import copy
import json

from . import patch, target

#: The resource page of AWS::EC2::SecurityGroup (defaults, inline rules, update behaviour).
SECURITY_GROUP_PAGE = "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-securitygroup.html"
INGRESS_PROPERTY_PAGE = "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-ec2-securitygroup-ingress.html"
EGRESS_PROPERTY_PAGE = "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-ec2-securitygroup-egress.html"
INGRESS_RESOURCE_PAGE = "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-securitygroupingress.html"
EGRESS_RESOURCE_PAGE = "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-securitygroupegress.html"
RULE_TYPE_PAGE = "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_SecurityGroupRule.html"
PREFIX_LIST_TYPE_PAGE = "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_PrefixListId.html"
#: Not on the resource pages: the standalone egress resource's handler removes the target group's
#: allow-all egress before adding its rule (a CDK maintainer's analysis, and a 2024 report of the
#: same on an existing group). The same conclusion governs the tool (SGModel's DefaultEgress).
STANDALONE_EGRESS_REMOVES_DEFAULT = (
    "https://github.com/aws/aws-cdk/issues/22140",
    "https://github.com/aws-cloudformation/cfn-language-discussion/issues/157",
)

#: Properties whose change replaces the group ("Update requires: Replacement" on the resource page).
REPLACING_PROPERTIES = ("GroupName", "GroupDescription", "VpcId")


def _backend(account_id, region_name):
    from moto.ec2.models import ec2_backends

    return ec2_backends[account_id][region_name]


def _rule_key(spec):
    """A template rule without its description: what the rule allows."""
    return json.dumps({key: value for key, value in spec.items() if key != "Description"}, sort_keys=True, default=str)


def _authorize(backend, group, spec, egress):
    """Adds the rule one template rule describes (inline or standalone) through EC2; its rule ids."""
    description = spec.get("Description")

    def described(entry):
        if description is not None:
            entry["Description"] = description
        return entry

    ranges, groups, prefix_lists = [], [], []
    if spec.get("CidrIp"):
        ranges.append(described({"CidrIp": spec["CidrIp"]}))
    if spec.get("CidrIpv6"):
        ranges.append(described({"CidrIpv6": spec["CidrIpv6"]}))
    group_field = "DestinationSecurityGroupId" if egress else "SourceSecurityGroupId"
    if spec.get(group_field):
        groups.append(described({"GroupId": spec[group_field]}))
    if not egress and spec.get("SourceSecurityGroupName"):
        groups.append(described({"GroupName": spec["SourceSecurityGroupName"]}))
    prefix_field = "DestinationPrefixListId" if egress else "SourcePrefixListId"
    if spec.get(prefix_field):
        prefix_lists.append(described({"PrefixListId": spec[prefix_field]}))
    authorize = backend.authorize_security_group_egress if egress else backend.authorize_security_group_ingress
    rules, _ = authorize(
        group_name_or_id=group.id, ip_protocol=str(spec.get("IpProtocol")), from_port=spec.get("FromPort"),
        to_port=spec.get("ToPort"), ip_ranges=ranges, source_groups=groups, prefix_list_ids=prefix_lists,
        vpc_id=group.vpc_id)
    return [rule.id for rule in rules]


def _revoke(backend, group, rule_ids, egress):
    """Removes the rules still present among `rule_ids` (one removed out of band is already gone)."""
    present = [rule.id for rule in (group.egress_rules if egress else group.ingress_rules) if rule.id in rule_ids]
    if not present:
        return
    revoke = backend.revoke_security_group_egress if egress else backend.revoke_security_group_ingress
    revoke(group.id, None, None, None, [], security_rule_ids=present)


def _set_description(group, rule_ids, description, egress):
    """Changes the description of existing rules in place, as UpdateSecurityGroupRuleDescriptions* does."""
    for rule in group.egress_rules if egress else group.ingress_rules:
        if rule.id not in rule_ids:
            continue
        for entry in (rule.ip_range, rule.source_group):
            if entry:
                if description is None:
                    entry.pop("Description", None)
                else:
                    entry["Description"] = description
        if rule.prefix_list_id:
            rule.sgp_prefix_list_description = description


def _drop_default_egress(group):
    """Removes the allow-all egress rules (IPv4 and IPv6) EC2 gave the group at creation."""
    group.egress_rules = [
        rule for rule in group.egress_rules
        if not (rule.ip_protocol == "-1" and rule.ip_range.get("CidrIp", rule.ip_range.get("CidrIpv6")) in ("0.0.0.0/0", "::/0")
                and not rule.source_group and not rule.prefix_list_id)
    ]


def _group_of(backend, properties):
    """The group a standalone rule names (GroupId, or GroupName for a default-VPC group)."""
    from moto.ec2.exceptions import InvalidSecurityGroupNotFoundError

    name_or_id = properties.get("GroupId") or properties.get("GroupName")
    group = backend.get_security_group_by_name_or_id(name_or_id) if name_or_id else None
    if group is None:
        raise InvalidSecurityGroupNotFoundError(name_or_id)
    return group


def _tags(properties):
    return {tag["Key"]: tag["Value"] for tag in properties.get("Tags") or []}


@patch(
    "security-group-inline-rules",
    "a group's inline ingress and egress are created with descriptions, IPv6 ranges, prefix lists and"
    " rules without ports; a group created with egress rules does not get the allow-all ones",
    SECURITY_GROUP_PAGE, INGRESS_PROPERTY_PAGE, EGRESS_PROPERTY_PAGE)
def _security_group_create():
    security_group = target("moto.ec2.models.security_groups", "SecurityGroup", patch_name="security-group-inline-rules")
    target("moto.ec2.models.security_groups", "SecurityGroup", "create_from_cloudformation_json", patch_name="security-group-inline-rules")

    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        properties = cloudformation_json["Properties"]
        backend = _backend(account_id, region_name)
        group = backend.create_security_group(
            name=resource_name, description=properties.get("GroupDescription"), vpc_id=properties.get("VpcId"),
            tags=_tags(properties))
        group.sgp_properties = copy.deepcopy(properties)
        group.sgp_inline_rules = {}
        egress = properties.get("SecurityGroupEgress") or []
        if egress:
            # "When you create a security group, if you do not add egress rules, we add egress rules
            # that allow all outbound IPv4 and IPv6 traffic. Otherwise, we do not add them."
            _drop_default_egress(group)
        for spec in properties.get("SecurityGroupIngress") or []:
            group.sgp_inline_rules[("ingress", _rule_key(spec))] = _authorize(backend, group, spec, egress=False)
        for spec in egress:
            group.sgp_inline_rules[("egress", _rule_key(spec))] = _authorize(backend, group, spec, egress=True)
        return group

    security_group.create_from_cloudformation_json = classmethod(create_from_cloudformation_json)


@patch(
    "security-group-update-in-place",
    "a stack update changes a group's rules and tags in place (same group id); only GroupName,"
    " GroupDescription or VpcId replace it, and a custom-named group is never replaced (see"
    " custom-named-replacement-refused)",
    SECURITY_GROUP_PAGE,
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-updating-stacks-update-behaviors.html")
def _security_group_update():
    security_group = target("moto.ec2.models.security_groups", "SecurityGroup", patch_name="security-group-update-in-place")
    replace = target("moto.ec2.models.security_groups", "SecurityGroup", "update_from_cloudformation_json",
                     patch_name="security-group-update-in-place").__func__

    def update_from_cloudformation_json(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
        properties = cloudformation_json["Properties"]
        before = getattr(original_resource, "sgp_properties", None)
        if before is None or any(before.get(key) != properties.get(key) for key in REPLACING_PROPERTIES):
            # A replacement (new id). The custom-named case never gets here: the stack update is
            # refused before any resource changes (stacks.py).
            return replace(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name)
        backend = _backend(account_id, region_name)
        group = original_resource
        old_tags, new_tags = _tags(before), _tags(properties)
        removed = {key: None for key in old_tags if key not in new_tags}
        if removed:
            backend.delete_tags([group.id], removed)
        if new_tags:
            backend.create_tags([group.id], new_tags)
        for direction in ("ingress", "egress"):
            egress = direction == "egress"
            field = "SecurityGroupEgress" if egress else "SecurityGroupIngress"
            old_specs = {_rule_key(spec): spec for spec in before.get(field) or []}
            new_specs = {_rule_key(spec): spec for spec in properties.get(field) or []}
            for key, spec in old_specs.items():
                if key not in new_specs:
                    _revoke(backend, group, group.sgp_inline_rules.pop((direction, key), []), egress)
            if egress and new_specs and not old_specs:
                # The group had no egress of its own, so it still has EC2's defaults: the rules the
                # template now lists replace them, as at creation.
                _drop_default_egress(group)
            for key, spec in new_specs.items():
                if key not in old_specs:
                    group.sgp_inline_rules[(direction, key)] = _authorize(backend, group, spec, egress)
                elif old_specs[key].get("Description") != spec.get("Description"):
                    _set_description(group, group.sgp_inline_rules.get((direction, key), []), spec.get("Description"), egress)
        group.sgp_properties = copy.deepcopy(properties)
        return group

    security_group.update_from_cloudformation_json = classmethod(update_from_cloudformation_json)


def _standalone_create(cls, properties, account_id, region_name):
    """A standalone rule resource of class `cls`: the EC2 rules it made (their ids) on its group."""
    backend = _backend(account_id, region_name)
    group = _group_of(backend, properties)
    if cls.sgp_egress:
        _drop_default_egress(group)
    resource = cls.__new__(cls)
    resource.security_group = group
    resource.properties = copy.deepcopy(properties)
    resource.sgp_rule_ids = _authorize(backend, group, properties, cls.sgp_egress)
    return resource


def _standalone_update(cls, original, properties, account_id, region_name):
    """Description is the one property a standalone rule updates in place; any other change replaces it."""
    def allowed(values):
        return {key: value for key, value in values.items() if key != "Description"}

    if allowed(original.properties) == allowed(properties):
        _set_description(original.security_group, original.sgp_rule_ids, properties.get("Description"), cls.sgp_egress)
        original.properties = copy.deepcopy(properties)
        return original
    _standalone_delete(original, account_id, region_name)
    return _standalone_create(cls, properties, account_id, region_name)


def _standalone_delete(resource, account_id, region_name):
    """Revokes the resource's rules (its group may be gone already, and its rules with it)."""
    backend = _backend(account_id, region_name)
    group = backend.get_security_group_from_id(resource.security_group.id)
    if group is not None:
        _revoke(backend, group, resource.sgp_rule_ids, resource.sgp_egress)


def _standalone_methods(model):
    """Gives `model` the standalone-rule behaviour (moto calls an instance's delete() first)."""
    model.create_from_cloudformation_json = classmethod(
        lambda cls, resource_name, cloudformation_json, account_id, region_name, **kwargs:
        _standalone_create(cls, cloudformation_json["Properties"], account_id, region_name))
    model.update_from_cloudformation_json = classmethod(
        lambda cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name:
        _standalone_update(cls, original_resource, cloudformation_json["Properties"], account_id, region_name))
    model.delete = lambda self, account_id, region_name: _standalone_delete(self, account_id, region_name)
    model.physical_resource_id = property(lambda self: self.sgp_rule_ids[0] if self.sgp_rule_ids else "")


@patch(
    "standalone-ingress",
    "AWS::EC2::SecurityGroupIngress keeps its description for every kind of peer, takes IPv6 ranges"
    " and prefix lists, updates its description in place, and its rule is revoked when the resource"
    " is removed or its stack deleted",
    INGRESS_RESOURCE_PAGE)
def _standalone_ingress():
    ingress = target("moto.ec2.models.security_groups", "SecurityGroupIngress", patch_name="standalone-ingress")
    for method in ("create_from_cloudformation_json", "update_from_cloudformation_json", "delete_from_cloudformation_json"):
        target("moto.ec2.models.security_groups", "SecurityGroupIngress", method, patch_name="standalone-ingress")
    ingress.sgp_egress = False
    _standalone_methods(ingress)


@patch(
    "standalone-egress",
    "AWS::EC2::SecurityGroupEgress exists: it removes the allow-all egress of its group, then adds"
    " its rule with its description; updated and deleted like the ingress resource",
    EGRESS_RESOURCE_PAGE, *STANDALONE_EGRESS_REMOVES_DEFAULT)
def _standalone_egress():
    common = target("moto.core.common_models", "CloudFormationModel", patch_name="standalone-egress")
    parsing = target("moto.cloudformation", "parsing", patch_name="standalone-egress")
    caches = [target("moto.cloudformation.parsing", name, patch_name="standalone-egress")
              for name in ("get_model_list", "get_model_map", "get_name_type_map")]
    if "AWS::EC2::SecurityGroupEgress" in parsing.get_model_map():
        raise RuntimeError("moto models AWS::EC2::SecurityGroupEgress already; this patch would shadow it")

    class SecurityGroupEgress(common):
        # moto files models by the second part of their module (here "ec2"), e.g. for /moto-api/.
        __module__ = "moto.ec2.models.security_groups"
        sgp_egress = True

        @staticmethod
        def cloudformation_name_type():
            return ""

        @staticmethod
        def cloudformation_type():
            return "AWS::EC2::SecurityGroupEgress"

        @classmethod
        def has_cfn_attr(cls, attr):
            return False

        @classmethod
        def delete_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name):
            pass  # never reached: the instance's delete() revokes the rule

    _standalone_methods(SecurityGroupEgress)
    # moto lists its models once (lru_cache over CloudFormationModel's subclasses).
    for cache in caches:
        cache.cache_clear()
    if parsing.get_model_map().get("AWS::EC2::SecurityGroupEgress") is not SecurityGroupEgress:
        raise RuntimeError("the new model is not in moto's CloudFormation model map")


@patch(
    "rule-descriptions-described",
    "DescribeSecurityGroupRules returns the description of rules that reference a group or a prefix"
    " list, and DescribeSecurityGroups the description of prefix-list rules",
    RULE_TYPE_PAGE, PREFIX_LIST_TYPE_PAGE)
def _rule_descriptions():
    module = "moto.ec2.models.security_groups"
    rule = target(module, "SecurityGroupRule", patch_name="rule-descriptions-described")
    target(module, "SecurityGroupRule", "description", patch_name="rule-descriptions-described")
    initialise = target(module, "SecurityGroupRule", "__init__", patch_name="rule-descriptions-described")
    group = target(module, "SecurityGroup", patch_name="rule-descriptions-described")
    target(module, "SecurityGroup", "_flattened_rules", patch_name="rule-descriptions-described")
    view = target(module, "GroupedSecurityRuleView", patch_name="rule-descriptions-described")

    def __init__(self, *args, **kwargs):
        initialise(self, *args, **kwargs)
        prefix_list = kwargs.get("prefix_list_id", args[7] if len(args) > 7 else None)
        self.sgp_prefix_list_description = prefix_list.get("Description") if isinstance(prefix_list, dict) else None

    def description(self):
        for entry in (self.ip_range, self.source_group):
            if entry and entry.get("Description") is not None:
                return entry["Description"]
        return getattr(self, "sgp_prefix_list_description", None)

    def flattened_rules(self, rules):
        grouped = []
        for each in rules:
            for candidate in grouped:
                if (candidate.from_port, candidate.to_port, candidate.ip_protocol) == (each.from_port, each.to_port, each.ip_protocol):
                    break
            else:
                candidate = view(each.from_port, each.to_port, each.ip_protocol)
                grouped.append(candidate)
            if each.ip_range:
                candidate.all_ip_ranges.append(each.ip_range)
            if each.source_group:
                candidate.source_groups.append(each.source_group)
            if each.prefix_list_id:
                entry = {"PrefixListId": each.prefix_list_id}
                if getattr(each, "sgp_prefix_list_description", None) is not None:
                    entry["Description"] = each.sgp_prefix_list_description
                candidate.prefix_list_ids.append(entry)
        return grouped

    rule.__init__ = __init__
    rule.description = property(description)
    group._flattened_rules = flattened_rules
