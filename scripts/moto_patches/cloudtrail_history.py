"""CloudTrail's event history for the security-group calls made to the local AWS, answered by
LookupEvents the way CloudTrail answers it, so check-drift can say who changed a group and when.

moto 5.2.1 records no event and has no LookupEvents (HTTP 500). Here every call of EC2's
security-group API made to the local AWS (authorize, revoke, modify, descriptions, create, delete;
failed ones too, with their error code, as CloudTrail records them) becomes a management event in
CloudTrail's record shape: the request parameters as CloudTrail writes EC2's (lower-camel names,
lists as {"items": [...]}), and the rules the call created or revoked, with their rule ids, in its
response elements. The caller is the IAM user named after the access key that signed the call (the
local AWS knows no users), its address 127.0.0.1 (the only one the local AWS listens on), its user
agent the one it sent. LookupEvents takes one lookup attribute, a time range, MaxResults 1-50 and a
NextToken, and answers newest first with EventTime in epoch seconds.

Not recorded: the rule changes moto's CloudFormation makes, which AWS records as calls by the
stack's role with invokedBy cloudformation.amazonaws.com (Tests/SGActionsTests/MotoDivergences.swift).
"""
import base64
import datetime
import hashlib
import json
import re
import threading
import uuid

from . import patch, target

HISTORY_PAGE = "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/view-cloudtrail-events.html"
LOOKUP_PAGE = "https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html"
RECORD_PAGE = "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html"

#: The calls recorded, by moto's method name.
RECORDED = (
    "authorize_security_group_ingress", "authorize_security_group_egress", "revoke_security_group_ingress",
    "revoke_security_group_egress", "modify_security_group_rules", "update_security_group_rule_descriptions_ingress",
    "update_security_group_rule_descriptions_egress", "create_security_group", "delete_security_group",
)

_EVENTS = []
_LOCK = threading.Lock()
#: CloudTrail writes EC2's lists under these names.
_RENAMED = {"UserIdGroupPairs": "groups", "SecurityGroupRuleIds": "securityGroupRuleIds"}
_NUMBERS = {"FromPort", "ToPort"}


def _cloudtrail_shape(value, name=None):
    """moto's parsed request parameters as CloudTrail writes EC2's: lower-camel names, lists as items."""
    if isinstance(value, dict):
        return {_RENAMED.get(key, key[:1].lower() + key[1:]): _cloudtrail_shape(item, key) for key, item in value.items()}
    if isinstance(value, list):
        if name == "SecurityGroupRuleIds":
            return {"items": [{"securityGroupRuleId": item} for item in value]}
        return {"items": [_cloudtrail_shape(item) for item in value]}
    if name in _NUMBERS:
        try:
            return int(value)
        except (TypeError, ValueError):
            return value
    return value


def _rule(rule):
    """One moto rule as a SecurityGroupRule of a response."""
    entry = {"groupId": rule.group_id, "securityGroupRuleId": rule.id, "isEgress": bool(rule.is_egress),
             "ipProtocol": rule.ip_protocol, "fromPort": -1 if rule.from_port is None else rule.from_port,
             "toPort": -1 if rule.to_port is None else rule.to_port}
    ip_range = rule.ip_range or {}
    if ip_range.get("CidrIp"):
        entry["cidrIpv4"] = ip_range["CidrIp"]
    if ip_range.get("CidrIpv6"):
        entry["cidrIpv6"] = ip_range["CidrIpv6"]
    if rule.prefix_list_id:
        entry["prefixListId"] = rule.prefix_list_id
    if (rule.source_group or {}).get("GroupId"):
        entry["referencedGroupInfo"] = {"groupId": rule.source_group["GroupId"]}
    description = ip_range.get("Description") or (rule.source_group or {}).get("Description")
    if description:
        entry["description"] = description
    return entry


def _rules_of(response, group_id):
    try:
        group = response.ec2_backend.get_security_group_from_id(group_id)
    except Exception:  # an unknown group: the call fails and changes nothing
        return {}
    if group is None:
        return {}
    return {rule.id: rule for rule in list(group.ingress_rules) + list(group.egress_rules)}


def _record(response, name, parameters, before, after, error):
    event_name = "".join(part.capitalize() for part in name.split("_"))
    group_id = parameters.get("GroupId") or (parameters.get("ModifySecurityGroupRulesRequest") or {}).get("GroupId")
    # The key id of the signature's credential scope (moto maps every key to its one account).
    match = re.search(r"Credential=([^/,\s]+)/", response.headers.get("Authorization", ""))
    access_key = match.group(1) if match else "anonymous"
    account = getattr(response, "current_account", "123456789012")
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    record = {
        "eventVersion": "1.09",
        "userIdentity": {"type": "IAMUser", "principalId": access_key, "arn": f"arn:aws:iam::{account}:user/{access_key}",
                         "accountId": account, "accessKeyId": access_key, "userName": access_key},
        "eventTime": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "eventSource": "ec2.amazonaws.com",
        "eventName": event_name,
        "awsRegion": response.region,
        "sourceIPAddress": "127.0.0.1",
        "userAgent": response.headers.get("User-Agent", ""),
        "requestParameters": _cloudtrail_shape(parameters),
        "responseElements": None,
        "requestID": str(uuid.uuid4()),
        "eventID": str(uuid.uuid4()),
        "readOnly": False,
        "eventType": "AwsApiCall",
        "managementEvent": True,
        "recipientAccountId": account,
        "eventCategory": "Management",
    }
    if error is not None:
        record["errorCode"] = getattr(error, "error_type", None) or getattr(error, "code", None) or type(error).__name__
        record["errorMessage"] = str(error)
    else:
        elements = {"requestId": record["requestID"], "_return": True}
        created = [_rule(rule) for rule_id, rule in after.items() if rule_id not in before]
        revoked = [_rule(rule) for rule_id, rule in before.items() if rule_id not in after]
        if created:
            elements["securityGroupRuleSet"] = {"items": created}
        if revoked:
            elements["revokedSecurityGroupRuleSet"] = {"items": revoked}
        if event_name == "CreateSecurityGroup":
            created_id = getattr(response, "_sg_created_id", None)
            if created_id:
                elements["groupId"] = created_id
                group_id = created_id
        record["responseElements"] = elements
    names = [group_id] if group_id else []
    with _LOCK:
        _EVENTS.append({"record": record, "resources": names, "time": now.timestamp()})


def _recording(name, original):
    def call(self):
        parameters = self._get_params()
        group_id = parameters.get("GroupId") or (parameters.get("ModifySecurityGroupRulesRequest") or {}).get("GroupId")
        before = _rules_of(self, group_id) if group_id else {}
        try:
            result = original(self)
        except Exception as error:
            _record(self, name, parameters, before, {}, error)
            raise
        if name == "create_security_group":
            try:
                self._sg_created_id = result.result.get("GroupId")
            except AttributeError:
                self._sg_created_id = None
        after = _rules_of(self, group_id) if group_id else {}
        _record(self, name, parameters, before, after, None)
        return result

    call.__name__ = name
    return call


class _LookupError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code, self.message = code, message


def _lookup(body):
    attributes = body.get("LookupAttributes") or []
    if len(attributes) > 1:
        raise _LookupError("InvalidLookupAttributesException", "You can only specify one lookup attribute.")
    size = body.get("MaxResults", 50)
    if not isinstance(size, int) or not 1 <= size <= 50:
        raise _LookupError("InvalidMaxResultsException", "MaxResults must be between 1 and 50.")
    start, end = body.get("StartTime"), body.get("EndTime")
    query = hashlib.sha256(json.dumps([attributes, start, end], sort_keys=True).encode()).hexdigest()[:16]
    offset = 0
    if body.get("NextToken"):
        try:
            token = json.loads(base64.b64decode(body["NextToken"]))
            assert token["query"] == query
            offset = int(token["offset"])
        except Exception:
            raise _LookupError("InvalidNextTokenException", "The NextToken does not belong to this query.")
    with _LOCK:
        events = list(_EVENTS)
    selected = []
    for event in reversed(events):
        record = event["record"]
        if start is not None and event["time"] < start:
            continue
        if end is not None and event["time"] > end:
            continue
        keep = True
        for attribute in attributes:
            key, value = attribute.get("AttributeKey"), attribute.get("AttributeValue")
            if key == "ResourceName":
                keep = value in event["resources"]
            elif key == "EventName":
                keep = record["eventName"] == value
            elif key == "EventId":
                keep = record["eventID"] == value
            elif key in ("Username", "AccessKeyId"):
                keep = record["userIdentity"]["accessKeyId"] == value
            elif key == "EventSource":
                keep = record["eventSource"] == value
            elif key == "ResourceType":
                keep = value == "AWS::EC2::SecurityGroup" and bool(event["resources"])
            elif key == "ReadOnly":
                keep = value == "false"
            else:
                raise _LookupError("InvalidLookupAttributesException", f"Invalid lookup attribute {key}.")
        if keep:
            selected.append(event)
    page = selected[offset:offset + size]
    answer = {"Events": [{
        "EventId": event["record"]["eventID"], "EventName": event["record"]["eventName"], "ReadOnly": "false",
        "AccessKeyId": event["record"]["userIdentity"]["accessKeyId"], "EventTime": event["time"],
        "EventSource": "ec2.amazonaws.com", "Username": event["record"]["userIdentity"]["userName"],
        "Resources": [{"ResourceType": "AWS::EC2::SecurityGroup", "ResourceName": name} for name in event["resources"]],
        "CloudTrailEvent": json.dumps(event["record"]),
    } for event in page]}
    if offset + size < len(selected):
        answer["NextToken"] = base64.b64encode(json.dumps({"query": query, "offset": offset + size}).encode()).decode()
    return answer


@patch(
    "cloudtrail-event-history",
    "CloudTrail keeps every management event of the account in its 90-day event history and answers LookupEvents over it;"
    " moto recorded none and answered LookupEvents with HTTP 500 (recorded here: the security-group calls made to the local AWS)",
    HISTORY_PAGE, LOOKUP_PAGE, RECORD_PAGE)
def _event_history():
    responses = target("moto.ec2.responses.security_groups", "SecurityGroups", patch_name="cloudtrail-event-history")
    for name in RECORDED:
        original = target("moto.ec2.responses.security_groups", "SecurityGroups", name, patch_name="cloudtrail-event-history")
        setattr(responses, name, _recording(name, original))
    cloudtrail = target("moto.cloudtrail.responses", "CloudTrailResponse", patch_name="cloudtrail-event-history")

    def lookup_events(self):
        try:
            body = json.loads(self.body) if self.body else {}
        except ValueError:
            body = {}
        try:
            return json.dumps(_lookup(body))
        except _LookupError as error:
            return 400, {"x-amzn-ErrorType": error.code}, json.dumps({"__type": error.code, "message": error.message})

    cloudtrail.lookup_events = lookup_events
