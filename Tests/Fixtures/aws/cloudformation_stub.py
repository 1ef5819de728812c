#!/usr/bin/env python3
"""A CloudFormation stub with resource import, for sg-provisioner's tests (moto 5.2.1 has no IMPORT
change sets).

Usage: cloudformation_stub.py '<json config>'
Config: {
  "credentials": {"<access key id>": "<secret>"},  # signatures are checked with botocore's own signer
  "ec2_endpoint": "http://127.0.0.1:N",             # optional: imported ids must exist there (moto)
  "region": "us-east-1"
}

The Query protocol as CloudFormation speaks it, held to botocore's service model for CloudFormation
(botocore/data/cloudformation/2010-05-15/service-2.json):
- every request parameter must be one the operation's input shape defines, spelled as the Query
  protocol writes it (lists `member.N`, maps `entry.N.key/value`), enums must be members, required
  members present; anything else is answered 400 ValidationError naming the parameter;
- every response is serialized from the operation's output shape (a member the shape does not
  define stops the stub: a test would otherwise pass on a response real CloudFormation never sends).

What it does, as the CloudFormation User Guide describes (docs/ADOPT.md has the citations):
- CreateChangeSet: CREATE, UPDATE and IMPORT. An IMPORT change set creates the stack (status
  REVIEW_IN_PROGRESS) when it does not exist; it fails (Status FAILED, the reason in StatusReason)
  when the template adds or changes anything but the resources to import, changes Outputs, lacks
  a DeletionPolicy on a resource to import, names an identifier other than the type's primary
  identifier (`Id` for AWS::EC2::SecurityGroup/SecurityGroupIngress/SecurityGroupEgress), or names
  a resource another stack holds or (with ec2_endpoint) that does not exist. It never compares the
  template's properties with the resource (neither does CloudFormation).
- ExecuteChangeSet, CreateStack, UpdateStack ("No updates are to be performed." when nothing
  changes), DeleteStack, DescribeStacks, DescribeStackEvents (with each operation's
  ClientRequestToken), DescribeStackResources, GetTemplate, DescribeChangeSet, DeleteChangeSet,
  UpdateTerminationProtection, SetStackPolicy. Stack operations finish at once (no *_IN_PROGRESS
  is ever observed). Resources an update adds get made-up physical ids; nothing is created in EC2.

GET /__stub/requests returns every request: its action, decoded parameters, whether the signature
verified. Binds 127.0.0.1 on a free port and prints "PORT <n>". Exits when its parent goes away.
"""
import datetime
import http.server
import json
import re
import sys
import threading
import urllib.parse
import uuid
from xml.sax.saxutils import escape

import botocore.loaders
import botocore.model
import yaml
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
import loopback  # the test servers' common start-up

CONFIG = json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}
REGION = CONFIG.get("region", "us-east-1")
ACCOUNT = "123456789012"
NAMESPACE = "http://cloudformation.amazonaws.com/doc/2010-05-15/"
SERVICE = botocore.model.ServiceModel(botocore.loaders.Loader().load_service_model("cloudformation", "service-2"), "cloudformation")
# The primary identifier of each importable type, from its registry schema (`primaryIdentifier`).
PRIMARY_IDENTIFIERS = {
    "AWS::EC2::SecurityGroup": ["Id"],
    "AWS::EC2::SecurityGroupIngress": ["Id"],
    "AWS::EC2::SecurityGroupEgress": ["Id"],
}
AUTHORIZATION = re.compile(
    r"^AWS4-HMAC-SHA256 Credential=([^/]+)/(\d{8})/([^/]+)/([^/]+)/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$")

LOCK = threading.Lock()
SEEN = []
STACKS = {}  # stack id -> stack
CHANGE_SETS = {}  # change set id -> change set


class StubError(Exception):
    def __init__(self, code, message, status=400):
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


def now():
    return datetime.datetime.now(datetime.timezone.utc)


# ---------------------------------------------------------------------------------------------
# botocore's model: checking requests, serializing responses

def check_request(operation, params):
    """Every parameter must be a path through the input shape; required members present."""
    shape = operation.input_shape
    problems = []
    for key, value in params.items():
        if key in ("Action", "Version"):
            continue
        problem = walk(shape, key.split("."), value)
        if problem:
            problems.append(f"{key}: {problem}")
    if shape is not None:
        for name in shape.required_members:
            if not any(key == name or key.startswith(name + ".") for key in params):
                problems.append(f"missing required parameter {name}")
    return problems


def walk(shape, parts, value):
    if shape is None:
        return "the operation takes no parameters"
    kind = shape.type_name
    if kind == "structure":
        if not parts:
            return f"{shape.name} is a structure, not a value"
        if parts[0] not in shape.members:
            return f"{parts[0]} is not a member of {shape.name}"
        return walk(shape.members[parts[0]], parts[1:], value)
    if kind == "list":
        if shape.serialization.get("flattened"):
            return "flattened lists are not used by CloudFormation"
        if len(parts) < 2 or parts[0] != "member" or not parts[1].isdigit() or int(parts[1]) < 1:
            return f"list {shape.name} is written {shape.name}.member.N"
        return walk(shape.member, parts[2:], value)
    if kind == "map":
        if len(parts) < 3 or parts[0] != "entry" or not parts[1].isdigit() or parts[2] not in ("key", "value"):
            return f"map {shape.name} is written entry.N.key / entry.N.value"
        return walk(shape.key if parts[2] == "key" else shape.value, parts[3:], value)
    if parts:
        return f"{shape.name} is a {kind}, it has no {'.'.join(parts)}"
    if shape.enum and value not in shape.enum:
        return f"'{value}' is not one of {shape.enum}"
    if kind == "boolean" and value not in ("true", "false"):
        return f"'{value}' is not a boolean"
    if kind in ("integer", "long") and not re.fullmatch(r"-?\d+", value):
        return f"'{value}' is not an integer"
    return None


def serialize(shape, value, name):
    kind = shape.type_name
    if kind == "structure":
        inner = ""
        for key, item in value.items():
            if key not in shape.members:
                raise RuntimeError(f"stub bug: {key} is not a member of {shape.name}")
            if item is not None:
                inner += serialize(shape.members[key], item, key)
    elif kind == "list":
        inner = "".join(serialize(shape.member, item, "member") for item in value)
    elif kind == "map":
        inner = "".join(
            "<entry>" + serialize(shape.key, key, "key") + serialize(shape.value, item, "value") + "</entry>" for key, item in value.items())
    elif kind == "boolean":
        inner = "true" if value else "false"
    elif kind == "timestamp":
        inner = value.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    else:
        if shape.enum and value not in shape.enum:
            raise RuntimeError(f"stub bug: '{value}' is not one of {shape.name}'s values")
        inner = escape(str(value))
    return f"<{name}>{inner}</{name}>"


def response(operation, result):
    name = operation.name
    body = f'<{name}Response xmlns="{NAMESPACE}">'
    if operation.output_shape is not None:
        body += serialize(operation.output_shape, result or {}, f"{name}Result")
    body += f"<ResponseMetadata><RequestId>{uuid.uuid4()}</RequestId></ResponseMetadata></{name}Response>"
    return body


def error_body(code, message):
    return (f'<ErrorResponse xmlns="{NAMESPACE}"><Error><Type>Sender</Type><Code>{escape(code)}</Code>'
            f"<Message>{escape(message)}</Message></Error><RequestId>{uuid.uuid4()}</RequestId></ErrorResponse>")


def signature_ok(method, path, headers, body):
    match = AUTHORIZATION.match(headers.get("authorization", ""))
    if not match:
        return False
    key, _, region, service, signed, signature = match.groups()
    secret = CONFIG.get("credentials", {}).get(key)
    if secret is None:
        return False
    request = AWSRequest(method=method, url="http://" + headers.get("host", "") + path, data=body.encode(),
                         headers={name: headers.get(name, "") for name in signed.split(";")})
    request.context["timestamp"] = headers.get("x-amz-date", "")
    auth = SigV4Auth(Credentials(key, secret, headers.get("x-amz-security-token")), service, region)
    canonical = auth.canonical_request(request)
    return auth.signature(auth.string_to_sign(request, canonical), request) == signature


# ---------------------------------------------------------------------------------------------
# Templates

class TemplateLoader(yaml.SafeLoader):
    pass


def _intrinsic(loader, suffix, node):
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    if suffix == "GetAtt" and isinstance(value, str):
        value = value.split(".", 1)
    return {"Ref" if suffix == "Ref" else "Fn::" + suffix: value}


TemplateLoader.add_multi_constructor("!", _intrinsic)


def parse_template(body):
    try:
        document = yaml.load(body, Loader=TemplateLoader)
    except yaml.YAMLError as error:
        raise StubError("ValidationError", f"Template format error: {error}")
    if not isinstance(document, dict) or not isinstance(document.get("Resources"), dict):
        raise StubError("ValidationError", "Template format error: At least one Resources member must be defined.")
    return document


def made_up_id(resource):
    kind = resource.get("Type", "")
    if kind == "AWS::EC2::SecurityGroup":
        return "sg-" + uuid.uuid4().hex[:17]
    if kind in ("AWS::EC2::SecurityGroupIngress", "AWS::EC2::SecurityGroupEgress"):
        return "sgr-" + uuid.uuid4().hex[:17]
    if kind == "AWS::SSM::Parameter":
        return resource.get("Properties", {}).get("Name") or uuid.uuid4().hex
    return uuid.uuid4().hex


def resolve(value, stack):
    if isinstance(value, dict) and len(value) == 1:
        (key, inner), = value.items()
        if key == "Ref" and inner in stack["resources"]:
            return stack["resources"][inner]["physical"]
        if key == "Fn::GetAtt" and inner[0] in stack["resources"]:
            return stack["resources"][inner[0]]["physical"]
    return value if isinstance(value, str) else json.dumps(value)


# ---------------------------------------------------------------------------------------------
# Stacks

def find_stack(name, include_deleted=False):
    for stack in STACKS.values():
        if stack["id"] == name:
            return stack
    for stack in STACKS.values():
        if stack["name"] == name and (include_deleted or stack["status"] != "DELETE_COMPLETE"):
            return stack
    return None


def stack_or_error(name):
    stack = find_stack(name)
    if stack is None:
        raise StubError("ValidationError", f"Stack with id {name} does not exist")
    return stack


def new_stack(name, status):
    stack_id = f"arn:aws:cloudformation:{REGION}:{ACCOUNT}:stack/{name}/{uuid.uuid4()}"
    stack = {"id": stack_id, "name": name, "status": status, "reason": None, "template": None, "body": None,
             "resources": {}, "events": [], "created": now(), "updated": None, "protection": False, "policy": None,
             "description": None}
    STACKS[stack_id] = stack
    return stack


def event(stack, logical, physical, kind, status, reason=None, token=None):
    stack["events"].insert(0, {
        "StackId": stack["id"], "EventId": str(uuid.uuid4()), "StackName": stack["name"], "LogicalResourceId": logical,
        "PhysicalResourceId": physical, "ResourceType": kind, "Timestamp": now(), "ResourceStatus": status,
        "ResourceStatusReason": reason, "ClientRequestToken": token,
    })


def stack_event(stack, status, reason=None, token=None):
    event(stack, stack["name"], stack["id"], "AWS::CloudFormation::Stack", status, reason, token)


def differences(stack, template):
    """Add / Modify / Remove changes between the stack's template and `template`."""
    old = (stack["template"] or {}).get("Resources", {})
    new = template.get("Resources", {})
    changes = []
    for logical, resource in new.items():
        if logical not in old:
            changes.append(("Add", logical, None, resource["Type"], None))
        elif old[logical].get("Properties") != resource.get("Properties"):
            replacement = "False"
            if resource["Type"] == "AWS::EC2::SecurityGroup":
                for key in ("GroupName", "GroupDescription", "VpcId"):
                    if old[logical].get("Properties", {}).get(key) != resource.get("Properties", {}).get(key):
                        replacement = "True"
            changes.append(("Modify", logical, stack["resources"][logical]["physical"], resource["Type"], replacement))
    for logical, resource in old.items():
        if logical not in new:
            changes.append(("Remove", logical, stack["resources"][logical]["physical"], resource["Type"], None))
    outputs_changed = (stack["template"] or {}).get("Outputs") != template.get("Outputs")
    return changes, outputs_changed


def apply_update(stack, template, body, verb, token=None):
    changes, _ = differences(stack, template)
    stack_event(stack, f"{verb}_IN_PROGRESS", "User Initiated", token)
    for action, logical, physical, kind, _ in changes:
        if action == "Add":
            physical = made_up_id(template["Resources"][logical])
            stack["resources"][logical] = {"type": kind, "physical": physical, "status": f"{verb}_COMPLETE"}
            event(stack, logical, physical, kind, "CREATE_COMPLETE", token=token)
        elif action == "Modify":
            stack["resources"][logical]["status"] = "UPDATE_COMPLETE"
            event(stack, logical, physical, kind, "UPDATE_COMPLETE", token=token)
        else:
            policy = stack["template"]["Resources"][logical].get("DeletionPolicy", "Delete")
            del stack["resources"][logical]
            event(stack, logical, physical, kind, "DELETE_SKIPPED" if policy.startswith("Retain") else "DELETE_COMPLETE", token=token)
    stack["template"], stack["body"] = template, body
    stack["description"] = template.get("Description")
    stack["status"] = f"{verb}_COMPLETE"
    stack["updated"] = now()
    stack_event(stack, stack["status"], token=token)


def import_problems(stack, template, imports):
    """Why CloudFormation would fail this IMPORT change set, or []."""
    problems = []
    old = (stack["template"] or {}).get("Resources", {}) if stack else {}
    new = template.get("Resources", {})
    by_logical = {entry["LogicalResourceId"]: entry for entry in imports}
    added = [logical for logical in new if logical not in old and logical not in by_logical]
    modified = [logical for logical in new if logical in old and old[logical] != new[logical]]
    removed = [logical for logical in old if logical not in new]
    if added or modified or removed:
        problems.append(f"As part of the import operation, you cannot modify or add [{', '.join(added + modified + removed)}]")
    if stack and (stack["template"] or {}).get("Outputs") != template.get("Outputs") or (not stack and template.get("Outputs")):
        problems.append("As part of the import operation, you cannot modify or add [Outputs]")
    for logical, entry in by_logical.items():
        resource = new.get(logical)
        if resource is None:
            problems.append(f"Resource {logical} to import is not in the template")
            continue
        if resource.get("Type") != entry["ResourceType"]:
            problems.append(f"Resource {logical} is of type {resource.get('Type')}, not {entry['ResourceType']}")
        if "DeletionPolicy" not in resource:
            problems.append(f"The following resource(s) to import [{logical}] must have DeletionPolicy attribute specified in the template.")
        expected = PRIMARY_IDENTIFIERS.get(entry["ResourceType"])
        if expected is None:
            problems.append(f"ResourceType {entry['ResourceType']} does not support import (not in this stub's list)")
        elif sorted(entry["ResourceIdentifier"]) != sorted(expected):
            problems.append(f"Invalid ResourceIdentifier for {logical}: expected {expected}, got {sorted(entry['ResourceIdentifier'])}")
        physical = entry["ResourceIdentifier"].get("Id")
        for other in STACKS.values():
            if other["status"] != "DELETE_COMPLETE" and any(r["physical"] == physical for r in other["resources"].values()):
                problems.append(f"Resource {physical} already belongs to stack {other['name']}")
        if physical and CONFIG.get("ec2_endpoint") and not exists_in_ec2(entry["ResourceType"], physical):
            problems.append(f"Resources [{logical}] does not exist: {physical}")
    return problems


def exists_in_ec2(kind, physical):
    import boto3
    client = boto3.client("ec2", endpoint_url=CONFIG["ec2_endpoint"], region_name=REGION,
                          aws_access_key_id="testing", aws_secret_access_key="testing")
    if kind == "AWS::EC2::SecurityGroup":
        return bool(client.describe_security_groups(Filters=[{"Name": "group-id", "Values": [physical]}])["SecurityGroups"])
    try:
        return bool(client.describe_security_group_rules(SecurityGroupRuleIds=[physical])["SecurityGroupRules"])
    except Exception:  # moto answers an unknown rule id with an error
        return False


def import_list(params):
    entries = {}
    for key, value in params.items():
        match = re.fullmatch(r"ResourcesToImport\.member\.(\d+)\.(.+)", key)
        if not match:
            continue
        entry = entries.setdefault(int(match.group(1)), {"ResourceIdentifier": {}})
        field = match.group(2)
        pair = re.fullmatch(r"ResourceIdentifier\.entry\.(\d+)\.(key|value)", field)
        if pair:
            entry.setdefault("_pairs", {}).setdefault(int(pair.group(1)), {})[pair.group(2)] = value
        else:
            entry[field] = value
    result = []
    for index in sorted(entries):
        entry = entries[index]
        for pair in entry.pop("_pairs", {}).values():
            entry["ResourceIdentifier"][pair.get("key")] = pair.get("value")
        result.append(entry)
    return result


# ---------------------------------------------------------------------------------------------
# Operations (each returns the output structure as a dict)

def op_CreateChangeSet(params):
    name, kind = params["StackName"], params.get("ChangeSetType", "UPDATE")
    template = parse_template(params["TemplateBody"])
    stack = find_stack(name)
    if kind in ("CREATE", "IMPORT") and (stack is None or stack["status"] == "REVIEW_IN_PROGRESS"):
        if stack is None:
            # CloudFormation also records a REVIEW_IN_PROGRESS stack event here, a status botocore's
            # ResourceStatus enum does not list; the stub stays inside the model and records none.
            stack = new_stack(name, "REVIEW_IN_PROGRESS")
        previous = None
    elif stack is None:
        raise StubError("ValidationError", f"Stack [{name}] does not exist")
    elif kind == "CREATE":
        raise StubError("ValidationError", f"Stack [{name}] already exists and cannot be created again with the changeSet [{params['ChangeSetName']}].")
    else:
        previous = stack
    change_set_id = f"arn:aws:cloudformation:{REGION}:{ACCOUNT}:changeSet/{params['ChangeSetName']}/{uuid.uuid4()}"
    change_set = {"id": change_set_id, "name": params["ChangeSetName"], "stack": stack["id"], "type": kind, "template": template,
                  "body": params["TemplateBody"], "description": params.get("Description"), "created": now(),
                  "status": "CREATE_COMPLETE", "reason": None, "execution": "AVAILABLE", "changes": [], "imports": []}
    if kind == "IMPORT":
        imports = import_list(params)
        change_set["imports"] = imports
        problems = import_problems(previous, template, imports)
        if problems:
            change_set.update(status="FAILED", reason=" ".join(problems), execution="UNAVAILABLE")
        else:
            change_set["changes"] = [("Import", entry["LogicalResourceId"], entry["ResourceIdentifier"].get("Id"), entry["ResourceType"], None)
                                     for entry in imports]
    else:
        changes, outputs_changed = differences(stack, template)
        if not changes and not outputs_changed:
            change_set.update(status="FAILED", reason="The submitted information didn't contain changes. Submit different information to create a change set.",
                              execution="UNAVAILABLE")
        change_set["changes"] = changes
    CHANGE_SETS[change_set_id] = change_set
    return {"Id": change_set_id, "StackId": stack["id"]}


def change_set_or_error(params):
    name = params["ChangeSetName"]
    for change_set in CHANGE_SETS.values():
        if change_set["id"] == name:
            return change_set
    stack = find_stack(params.get("StackName", "")) if params.get("StackName") else None
    for change_set in CHANGE_SETS.values():
        if change_set["name"] == name and (stack is None or change_set["stack"] == stack["id"]):
            return change_set
    raise StubError("ChangeSetNotFound", f"ChangeSet [{name}] does not exist", status=404)


def op_DescribeChangeSet(params):
    change_set = change_set_or_error(params)
    stack = STACKS[change_set["stack"]]
    return {
        "ChangeSetName": change_set["name"], "ChangeSetId": change_set["id"], "StackId": stack["id"], "StackName": stack["name"],
        "Description": change_set["description"], "CreationTime": change_set["created"], "ExecutionStatus": change_set["execution"],
        "Status": change_set["status"], "StatusReason": change_set["reason"],
        "Changes": [{"Type": "Resource", "ResourceChange": {
            "Action": action, "LogicalResourceId": logical, "PhysicalResourceId": physical, "ResourceType": kind,
            "Replacement": replacement, "Scope": [], "Details": []}} for action, logical, physical, kind, replacement in change_set["changes"]],
    }


def op_ExecuteChangeSet(params):
    change_set = change_set_or_error(params)
    if change_set["execution"] != "AVAILABLE":
        raise StubError("InvalidChangeSetStatus", f"ChangeSet [{change_set['id']}] cannot be executed in its current status of [{change_set['status']}]")
    stack = STACKS[change_set["stack"]]
    token = params.get("ClientRequestToken")
    change_set["execution"] = "EXECUTE_COMPLETE"
    if change_set["type"] == "IMPORT":
        stack_event(stack, "IMPORT_IN_PROGRESS", "User Initiated", token)
        for entry in change_set["imports"]:
            physical = entry["ResourceIdentifier"]["Id"]
            stack["resources"][entry["LogicalResourceId"]] = {"type": entry["ResourceType"], "physical": physical, "status": "IMPORT_COMPLETE"}
            event(stack, entry["LogicalResourceId"], physical, entry["ResourceType"], "IMPORT_IN_PROGRESS", "Resource import started.", token)
            event(stack, entry["LogicalResourceId"], physical, entry["ResourceType"], "IMPORT_COMPLETE", "Resource import completed.", token)
        stack["template"], stack["body"] = change_set["template"], change_set["body"]
        stack["description"] = change_set["template"].get("Description")
        stack["status"] = "IMPORT_COMPLETE"
        stack["updated"] = now()
        stack_event(stack, "IMPORT_COMPLETE", token=token)
    else:
        verb = "CREATE" if change_set["type"] == "CREATE" else "UPDATE"
        apply_update(stack, change_set["template"], change_set["body"], verb, token)
    return {}


def op_DeleteChangeSet(params):
    change_set = change_set_or_error(params)
    del CHANGE_SETS[change_set["id"]]
    return {}


def op_CreateStack(params):
    name = params["StackName"]
    if find_stack(name) is not None:
        raise StubError("AlreadyExistsException", f"Stack [{name}] already exists")
    template = parse_template(params["TemplateBody"])
    stack = new_stack(name, "CREATE_IN_PROGRESS")
    apply_update(stack, template, params["TemplateBody"], "CREATE", params.get("ClientRequestToken"))
    return {"StackId": stack["id"]}


def op_UpdateStack(params):
    stack = stack_or_error(params["StackName"])
    if stack["status"].endswith("_IN_PROGRESS") or stack["status"] in ("ROLLBACK_COMPLETE", "REVIEW_IN_PROGRESS"):
        raise StubError("ValidationError", f"Stack:{stack['id']} is in {stack['status']} state and can not be updated.")
    template = parse_template(params["TemplateBody"])
    changes, outputs_changed = differences(stack, template)
    if not changes and not outputs_changed:
        raise StubError("ValidationError", "No updates are to be performed.")
    apply_update(stack, template, params["TemplateBody"], "UPDATE", params.get("ClientRequestToken"))
    return {"StackId": stack["id"]}


def op_DeleteStack(params):
    stack = find_stack(params["StackName"])
    if stack is None:
        return {}
    token = params.get("ClientRequestToken")
    stack_event(stack, "DELETE_IN_PROGRESS", "User Initiated", token)
    for logical, resource in list(stack["resources"].items()):
        policy = ((stack["template"] or {}).get("Resources", {}).get(logical) or {}).get("DeletionPolicy", "Delete")
        event(stack, logical, resource["physical"], resource["type"], "DELETE_SKIPPED" if policy.startswith("Retain") else "DELETE_COMPLETE", token=token)
    stack["resources"] = {}
    stack["status"] = "DELETE_COMPLETE"
    stack_event(stack, "DELETE_COMPLETE", token=token)
    return {}


def op_DescribeStacks(params):
    if params.get("StackName"):
        stacks = [stack_or_deleted(params["StackName"])]
    else:
        stacks = [stack for stack in STACKS.values() if stack["status"] != "DELETE_COMPLETE"]
    result = []
    for stack in stacks:
        outputs = []
        for key, output in ((stack["template"] or {}).get("Outputs") or {}).items():
            if stack["status"] in ("CREATE_COMPLETE", "UPDATE_COMPLETE"):
                outputs.append({"OutputKey": key, "OutputValue": resolve(output.get("Value"), stack), "Description": output.get("Description"),
                                "ExportName": (output.get("Export") or {}).get("Name")})
        result.append({
            "StackId": stack["id"], "StackName": stack["name"], "Description": stack["description"], "CreationTime": stack["created"],
            "LastUpdatedTime": stack["updated"], "StackStatus": stack["status"], "StackStatusReason": stack["reason"],
            "Outputs": outputs, "Tags": [], "EnableTerminationProtection": stack["protection"],
        })
    return {"Stacks": result}


def op_DescribeStackEvents(params):
    return {"StackEvents": stack_or_deleted(params["StackName"])["events"]}


def stack_or_deleted(name):
    stack = find_stack(name, include_deleted=name.startswith("arn:"))
    if stack is None:
        raise StubError("ValidationError", f"Stack with id {name} does not exist")
    return stack


def op_DescribeStackResources(params):
    stack = stack_or_deleted(params["StackName"])
    return {"StackResources": [{
        "StackName": stack["name"], "StackId": stack["id"], "LogicalResourceId": logical, "PhysicalResourceId": resource["physical"],
        "ResourceType": resource["type"], "Timestamp": stack["updated"] or stack["created"], "ResourceStatus": resource["status"],
    } for logical, resource in stack["resources"].items()]}


def op_GetTemplate(params):
    stack = stack_or_deleted(params["StackName"])
    if stack["body"] is None:
        raise StubError("ValidationError", f"Stack with id {params['StackName']} does not exist")
    return {"TemplateBody": stack["body"], "StagesAvailable": ["Original", "Processed"]}


def op_UpdateTerminationProtection(params):
    stack = stack_or_error(params["StackName"])
    stack["protection"] = params["EnableTerminationProtection"] == "true"
    return {"StackId": stack["id"]}


def op_SetStackPolicy(params):
    stack_or_error(params["StackName"])["policy"] = params.get("StackPolicyBody")
    return None


OPERATIONS = {name[3:]: function for name, function in globals().items() if name.startswith("op_")}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Without this every keep-alive request waits ~40 ms for delayed ACKs.
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.path == "/__stub/requests":
            with LOCK:
                payload = json.dumps(SEEN).encode()
            self._send(200, payload, "application/json")
        else:
            self._send(404, b"not found", "text/plain")

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8") if length else ""
        headers = {key.lower(): value for key, value in self.headers.items()}
        params = {key: values[-1] for key, values in urllib.parse.parse_qs(body, keep_blank_values=True).items()}
        action = params.get("Action", "")
        with LOCK:
            record = {"action": action, "params": params, "signature_ok": signature_ok("POST", self.path, headers, body)}
            SEEN.append(record)
            try:
                if action not in OPERATIONS:
                    raise StubError("InvalidAction", f"The action {action} is not valid for this web service (stub)")
                operation = SERVICE.operation_model(action)
                problems = check_request(operation, params)
                if problems:
                    raise StubError("ValidationError", "stub: request does not follow botocore's model: " + "; ".join(problems))
                status, payload = 200, response(operation, OPERATIONS[action](params))
            except StubError as error:
                record["error"] = error.code
                status, payload = error.status, error_body(error.code, error.message)
            except Exception as error:  # a stub bug: answered, so the test fails with the reason
                record["error"] = "StubBug"
                status, payload = 500, error_body("StubBug", f"{type(error).__name__}: {error}")
            record["status"] = status
        self._send(status, payload.encode(), "text/xml")

    def _send(self, status, payload, content_type):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


if __name__ == "__main__":
    loopback.serve(lambda address: http.server.ThreadingHTTPServer(address, Handler))
