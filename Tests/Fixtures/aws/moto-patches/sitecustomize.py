"""Test-only repair of one moto bug, loaded by Python at start-up when this directory is on
PYTHONPATH and SG_MOTO_PATCHES=1 (see Tests/SGActionsTests/MotoDivergences.swift).

moto 5.2 passes the `Tags` of an `AWS::SSM::Parameter` straight to SSM's PutParameter, which
expects a list of {Key, Value}; CloudFormation documents the property as a JSON object
(key -> value), so moto crashes (HTTP 500) on every valid template that tags a parameter.
The patch converts the documented object into the list moto's SSM backend expects. It makes
moto closer to AWS; it never hides a difference in security-group behaviour.
"""
import os
import sys

# Only in moto_server itself, not in other Python processes that inherit PYTHONPATH (the test
# watchdog): importing moto costs seconds on a loaded machine.
_is_moto_server = bool(sys.argv) and os.path.basename(sys.argv[0]).startswith("moto_server")

if os.environ.get("SG_MOTO_PATCHES") == "1" and _is_moto_server:
    try:
        from moto.ssm import models as _ssm_models

        _parameter = _ssm_models.Parameter

        def _listify(cloudformation_json):
            properties = cloudformation_json.get("Properties", {})
            tags = properties.get("Tags")
            if isinstance(tags, dict):
                properties = dict(properties)
                properties["Tags"] = [{"Key": k, "Value": v} for k, v in tags.items()]
                cloudformation_json = dict(cloudformation_json)
                cloudformation_json["Properties"] = properties
            return cloudformation_json

        _create = _parameter.create_from_cloudformation_json.__func__

        def _create_patched(cls, resource_name, cloudformation_json, *args, **kwargs):
            return _create(cls, resource_name, _listify(cloudformation_json), *args, **kwargs)

        _parameter.create_from_cloudformation_json = classmethod(_create_patched)

        _update = _parameter.update_from_cloudformation_json.__func__

        def _update_patched(cls, original_resource, new_resource_name, cloudformation_json, *args, **kwargs):
            return _update(cls, original_resource, new_resource_name, _listify(cloudformation_json), *args, **kwargs)

        _parameter.update_from_cloudformation_json = classmethod(_update_patched)
    except ImportError:
        pass
