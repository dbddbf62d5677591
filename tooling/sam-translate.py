"""
The SAM transform of a template, as CloudFormation would apply it, by the samtranslator that cfn-lint ships.

Usage: python sam-translate.py <template.yaml> [<region>]  -> the transformed template as JSON on stdout.
Local CodeUri/ContentUri values are replaced by S3 locations first, as `sam deploy` does after packaging.
"""
import json
import os
import sys

from cfnlint.data import Serverless
from cfnlint.decode import decode
from cfnlint.helpers import load_resource
from samtranslator.parser import parser
from samtranslator.translator.translator import Translator

PACKAGED = {"Bucket": "rehearsal-artifacts", "Key": "packaged.zip"}


def package(template):
    for resource in template.get("Resources", {}).values():
        properties = resource.get("Properties") or {}
        if resource.get("Type") == "AWS::Serverless::Function" and isinstance(properties.get("CodeUri"), str):
            properties["CodeUri"] = dict(PACKAGED)
        if resource.get("Type") == "AWS::Serverless::LayerVersion" and isinstance(properties.get("ContentUri"), str):
            properties["ContentUri"] = dict(PACKAGED)


def main():
    path = sys.argv[1]
    os.environ["AWS_DEFAULT_REGION"] = sys.argv[2] if len(sys.argv) > 2 else "us-east-1"
    template, matches = decode(path)
    if matches:
        sys.exit("\n".join(str(match) for match in matches))
    package(template)
    translator = Translator(managed_policy_map=load_resource(Serverless, "ManagedPolicies.json"), sam_parser=parser.Parser())
    transformed = translator.translate(sam_template=template, parameter_values={}, passthrough_metadata=True)
    json.dump(transformed, sys.stdout, indent=1, default=str)


if __name__ == "__main__":
    main()
