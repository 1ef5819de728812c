"""AWS::SSM::Parameter Tags as CloudFormation documents them."""
from . import patch, target

PARAMETER_PAGE = "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ssm-parameter.html"


def _listed(cloudformation_json):
    """The documented Tags object (key -> value) as the list of {Key, Value} moto's SSM backend wants."""
    properties = cloudformation_json.get("Properties", {})
    tags = properties.get("Tags")
    if not isinstance(tags, dict):
        return cloudformation_json
    return dict(cloudformation_json, Properties=dict(properties, Tags=[{"Key": k, "Value": v} for k, v in tags.items()]))


@patch(
    "ssm-parameter-tags",
    "AWS::SSM::Parameter takes Tags as a JSON object (key -> value); moto passed it to PutParameter,"
    " which wants a list, and answered HTTP 500 to every template that tags a parameter",
    PARAMETER_PAGE)
def _parameter_tags():
    parameter = target("moto.ssm.models", "Parameter", patch_name="ssm-parameter-tags")
    create = target("moto.ssm.models", "Parameter", "create_from_cloudformation_json", patch_name="ssm-parameter-tags").__func__
    update = target("moto.ssm.models", "Parameter", "update_from_cloudformation_json", patch_name="ssm-parameter-tags").__func__

    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, *args, **kwargs):
        return create(cls, resource_name, _listed(cloudformation_json), *args, **kwargs)

    def update_from_cloudformation_json(cls, original_resource, new_resource_name, cloudformation_json, *args, **kwargs):
        return update(cls, original_resource, new_resource_name, _listed(cloudformation_json), *args, **kwargs)

    parameter.create_from_cloudformation_json = classmethod(create_from_cloudformation_json)
    parameter.update_from_cloudformation_json = classmethod(update_from_cloudformation_json)
