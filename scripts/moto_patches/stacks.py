"""CloudFormation stack life cycle as AWS documents it: client request tokens on stack events,
"No updates are to be performed", termination protection, custom-named groups that a stack update
may not replace, and deleted stacks that stay deleted when read by id.
"""
import threading

from . import patch, target

CFN = "moto.cloudformation"
STACK_EVENT_TYPE = "https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_StackEvent.html"
CREATE_STACK_API = "https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStack.html"
STACK_UPDATES_GUIDE = "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-updating-stacks.html"
UPDATE_STACK_API = "https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_UpdateStack.html"
PROTECTION_GUIDE = "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-protect-stacks.html"
PROTECTION_API = "https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_UpdateTerminationProtection.html"
CUSTOM_NAME_GUIDE = "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-name.html"
SECURITY_GROUP_PAGE = "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-securitygroup.html"
DELETE_STACK_API = "https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DeleteStack.html"
DESCRIBE_STACKS_API = "https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeStacks.html"

#: The request a thread is serving: its ClientRequestToken, given to every event it causes.
_request = threading.local()


def _validation_error(message):
    from moto.cloudformation.exceptions import ValidationError

    return ValidationError(message=message)


@patch(
    "client-request-token-in-events",
    "every stack event caused by CreateStack, UpdateStack, DeleteStack or ExecuteChangeSet carries"
    " the request's ClientRequestToken",
    STACK_EVENT_TYPE, CREATE_STACK_API)
def _tokens():
    response = target(f"{CFN}.responses", "CloudFormationResponse", patch_name="client-request-token-in-events")
    stack = target(f"{CFN}.models", "Stack", patch_name="client-request-token-in-events")
    add_event = target(f"{CFN}.models", "Stack", "_add_stack_event", patch_name="client-request-token-in-events")

    def with_token(action):
        original = target(f"{CFN}.responses", "CloudFormationResponse", action, patch_name="client-request-token-in-events")

        def run(self):
            _request.token = self._get_param("ClientRequestToken")
            try:
                return original(self)
            finally:
                _request.token = None

        run.__name__ = action
        setattr(response, action, run)

    for action in ("create_stack", "update_stack", "delete_stack", "execute_change_set"):
        with_token(action)

    def _add_stack_event(self, *args, **kwargs):
        add_event(self, *args, **kwargs)
        self.events[-1].client_request_token = getattr(_request, "token", None)

    stack._add_stack_event = _add_stack_event


@patch(
    "update-without-changes",
    "UpdateStack with the deployed template, parameters and tags is refused with ValidationError"
    " 'No updates are to be performed.' and changes nothing",
    STACK_UPDATES_GUIDE, UPDATE_STACK_API)
def _no_updates():
    response = target(f"{CFN}.responses", "CloudFormationResponse", patch_name="update-without-changes")
    update_stack = target(f"{CFN}.responses", "CloudFormationResponse", "update_stack", patch_name="update-without-changes")
    target(f"{CFN}.responses", "CloudFormationResponse", "_get_param_values", patch_name="update-without-changes")

    def refuse_unchanged(self):
        # Only UpdateStack: CreateChangeSet with nothing to change is accepted by AWS (the change
        # set fails afterwards, see MotoDivergences), so moto's own shared check stays as it is.
        stack = self.cloudformation_backend.get_stack(self._get_param("StackName"))
        body = stack.template if self._get_bool_param("UsePreviousTemplate", False) else self._get_param("TemplateBody")
        incoming = self._get_param("Parameters", [])
        if body and body == stack.template:
            new_params = self._get_param_values(incoming, stack.stack_parameters)
            same_parameters = new_params == stack.stack_parameters or (not incoming and not stack.parameters)
            tags = {item["Key"]: item["Value"] for item in self._get_param("Tags", [])}
            if same_parameters and (not tags or tags == stack.tags):
                raise _validation_error("No updates are to be performed.")
        return update_stack(self)

    refuse_unchanged.__name__ = "update_stack"
    response.update_stack = refuse_unchanged


@patch(
    "termination-protection",
    "UpdateTerminationProtection turns protection on and off (DescribeStacks shows it), and"
    " DeleteStack on a protected stack fails with ValidationError, leaving the stack as it was",
    PROTECTION_GUIDE, PROTECTION_API)
def _termination_protection():
    response = target(f"{CFN}.responses", "CloudFormationResponse", patch_name="termination-protection")
    backend = target(f"{CFN}.models", "CloudFormationBackend", patch_name="termination-protection")
    delete_stack = target(f"{CFN}.models", "CloudFormationBackend", "delete_stack", patch_name="termination-protection")
    action_result = target("moto.core.responses", "ActionResult", patch_name="termination-protection")
    if hasattr(response, "update_termination_protection"):
        raise RuntimeError("moto implements UpdateTerminationProtection already; this patch would shadow it")

    def update_termination_protection(self):
        stack = self.cloudformation_backend.get_stack(self._get_param("StackName"))
        if stack.status in ("DELETE_IN_PROGRESS", "DELETE_COMPLETE"):
            raise _validation_error(f"Stack with id {stack.stack_id} does not exist")
        stack.enable_termination_protection = bool(self._get_bool_param("EnableTerminationProtection", False))
        return action_result({"StackId": stack.stack_id})

    def guarded_delete_stack(self, name_or_stack_id):
        found = self.stacks.get(name_or_stack_id) or next(
            (each for each in self.stacks.values() if each.name == name_or_stack_id), None)
        if found is not None and found.enable_termination_protection:
            raise _validation_error(f"Stack [{found.name}] cannot be deleted while TerminationProtection is enabled")
        return delete_stack(self, name_or_stack_id)

    response.update_termination_protection = update_termination_protection
    backend.delete_stack = guarded_delete_stack


@patch(
    "deleted-stack-stays-deleted",
    "reading a deleted stack by its id (DescribeStacks, DescribeStackResources) shows it"
    " DELETE_COMPLETE and never brings its resources back (moto re-created every group an Output"
    " referenced, with new ids, on each read)",
    DELETE_STACK_API, DESCRIBE_STACKS_API)
def _deleted_stays_deleted():
    stack = target(f"{CFN}.models", "Stack", patch_name="deleted-stack-stays-deleted")
    resource_map = target(f"{CFN}.parsing", "ResourceMap", patch_name="deleted-stack-stays-deleted")
    get_item = target(f"{CFN}.parsing", "ResourceMap", "__getitem__", patch_name="deleted-stack-stays-deleted")
    delete = target(f"{CFN}.parsing", "ResourceMap", "delete", patch_name="deleted-stack-stays-deleted")
    properties = {name: target(f"{CFN}.models", "Stack", name, patch_name="deleted-stack-stays-deleted")
                  for name in ("outputs", "exports", "stack_resources")}

    def deleting(self):
        delete(self)
        self.sgp_deleted = True

    def lookup(self, key):
        # moto creates resources lazily on first lookup; after the stack's deletion a lookup of a
        # deleted resource would create it again.
        if getattr(self, "sgp_deleted", False) and key not in self._parsed_resources:
            return None
        return get_item(self, key)

    def unless_deleted(name, empty):
        original = properties[name]

        def read(self):
            return empty if self.status == "DELETE_COMPLETE" else original.fget(self)

        return property(read)

    resource_map.delete = deleting
    resource_map.__getitem__ = lookup
    stack.outputs = unless_deleted("outputs", None)
    stack.exports = unless_deleted("exports", [])
    stack.stack_resources = unless_deleted("stack_resources", [])


@patch(
    "custom-named-replacement-refused",
    "a stack update that would replace a security group whose GroupName it keeps fails: the group"
    " is UPDATE_FAILED ('CloudFormation cannot update a stack when a custom-named resource requires"
    " replacing'), the stack rolls back to UPDATE_ROLLBACK_COMPLETE and nothing changes",
    CUSTOM_NAME_GUIDE, SECURITY_GROUP_PAGE)
def _custom_named_replacement():
    stack = target(f"{CFN}.models", "Stack", patch_name="custom-named-replacement-refused")
    update = target(f"{CFN}.models", "Stack", "update", patch_name="custom-named-replacement-refused")
    event = target(f"{CFN}.models", "Event", patch_name="custom-named-replacement-refused")
    from .security_groups import REPLACING_PROPERTIES

    def refused(self, template):
        """(logical id, group) of every custom-named group the update would replace."""
        old = (self.template_dict or {}).get("Resources") or {}
        new = (self.parse_template(template) or {}).get("Resources") or {}
        found = []
        for logical_id, resource in new.items():
            if resource.get("Type") != "AWS::EC2::SecurityGroup" or logical_id not in old:
                continue
            before, after = old[logical_id].get("Properties") or {}, resource.get("Properties") or {}
            if "GroupName" not in after or before.get("GroupName") != after.get("GroupName"):
                continue
            if any(before.get(key) != after.get(key) for key in REPLACING_PROPERTIES):
                found.append((logical_id, self.resource_map._parsed_resources.get(logical_id)))
        return found

    def guarded_update(self, template, role_arn=None, parameters=None, tags=None):
        replacing = refused(self, template)
        if not replacing:
            return update(self, template, role_arn, parameters, tags)
        self._add_stack_event("UPDATE_IN_PROGRESS", resource_status_reason="User Initiated")
        for logical_id, group in replacing:
            name = getattr(group, "name", logical_id)
            failed = event(
                stack_id=self.stack_id, stack_name=self.name, logical_resource_id=logical_id,
                physical_resource_id=getattr(group, "id", None), resource_type="AWS::EC2::SecurityGroup",
                resource_status="UPDATE_FAILED",
                resource_status_reason="CloudFormation cannot update a stack when a custom-named resource requires"
                f" replacing. Rename {name} and update the stack again.",
                resource_properties=None)
            failed.client_request_token = getattr(_request, "token", None)
            self.events.append(failed)
        names = ", ".join(logical_id for logical_id, _ in replacing)
        self._add_stack_event("UPDATE_ROLLBACK_IN_PROGRESS",
                              resource_status_reason=f"The following resource(s) failed to update: [{names}].")
        self._add_stack_event("UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS")
        self._add_stack_event("UPDATE_ROLLBACK_COMPLETE")
        self.status = "UPDATE_ROLLBACK_COMPLETE"

    stack.update = guarded_update
