"""
Deploy rehearsal without an AWS account: the SAM transform of template.yaml (samtranslator, as cfn-lint ships
it), then, when moto is installed, the translated stack created in moto's CloudFormation. Resource types moto
does not model are listed, not hidden: for those only the transform and cfn-lint vouch.

Usage: python deploy-rehearsal.py <template.yaml> <out-dir> [<moto_server executable>]
"""
import importlib.util
import io
import json
import os
import re
import socket
import subprocess
import sys
import time
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
STACK = "pipeline-control-plane-rehearsal"
PARAMETERS = {
    "SlackSecretArn": "arn:aws:secretsmanager:us-east-1:123456789012:secret:slack-app",
    "ApprovalsPolicy": json.dumps({"rules": [{"pipeline": "*", "channel": "C0REHEARSE", "approvers": {"users": ["U0REHEARSE"]}}]}),
    "RollbackConfig": json.dumps({"targets": [{"kind": "pipeline", "pipeline": "payments", "stage": "Prod", "alarms": ["health"]}]}),
}


def translate(template_path):
    spec = importlib.util.spec_from_file_location("sam_translate", os.path.join(HERE, "sam-translate.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    from cfnlint.data import Serverless
    from cfnlint.decode import decode
    from cfnlint.helpers import load_resource
    from samtranslator.parser import parser
    from samtranslator.translator.translator import Translator

    template, matches = decode(template_path)
    if matches:
        sys.exit("\n".join(str(match) for match in matches))
    module.package(template)
    translator = Translator(managed_policy_map=load_resource(Serverless, "ManagedPolicies.json"), sam_parser=parser.Parser())
    return translator.translate(sam_template=template, parameter_values={}, passthrough_metadata=True)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def rehearse_in_moto(transformed, moto_server):
    import boto3
    from moto.cloudformation.parsing import resource_class_from_type

    types = sorted({resource["Type"] for resource in transformed["Resources"].values()})
    unsupported = [resource_type for resource_type in types if not resource_class_from_type(resource_type)]
    # moto skips types it does not model and then refuses references to them: those become placeholders.
    def detach(value):
        if isinstance(value, list):
            return [detach(item) for item in value if not (isinstance(item, str) and item in unmodelled)]
        if not isinstance(value, dict):
            return value
        if value.get("Ref") in unmodelled:
            return f"unmodelled-{value['Ref']}"
        if "Fn::GetAtt" in value and value["Fn::GetAtt"][0] in unmodelled:
            return "unmodelled-{}-{}".format(*value["Fn::GetAtt"])
        if isinstance(value.get("Fn::Sub"), str):
            reference = re.compile(r"\$\{(" + "|".join(map(re.escape, unmodelled)) + r")\.(\w+)\}")
            return {"Fn::Sub": reference.sub(r"unmodelled-\1-\2", value["Fn::Sub"]) if unmodelled else value["Fn::Sub"]}
        return {key: detach(item) for key, item in value.items()}

    # moto refuses a template whose Outputs read an attribute of a type it does not model: leave those out.
    unmodelled = {logical_id for logical_id, resource in transformed["Resources"].items() if resource["Type"] in unsupported}
    outputs = transformed.get("Outputs", {})
    skipped_outputs = [name for name, output in outputs.items() if any(f'"{logical_id}' in json.dumps(output) for logical_id in unmodelled)]
    transformed = {**transformed, "Outputs": {name: output for name, output in outputs.items() if name not in skipped_outputs}}
    transformed["Resources"] = {
        logical_id: detach(resource) for logical_id, resource in transformed["Resources"].items() if logical_id not in unmodelled
    }
    # moto resolves a Ref to an AWS::Events::EventBus as its model object, not the bus name CloudFormation
    # returns, and then fails on every rule on that bus: hand moto the bus's own Name instead.
    buses = {
        logical_id: resource.get("Properties", {}).get("Name")
        for logical_id, resource in transformed["Resources"].items()
        if resource["Type"] == "AWS::Events::EventBus"
    }
    for resource in transformed["Resources"].values():
        properties = resource.get("Properties", {})
        bus = properties.get("EventBusName")
        if resource["Type"] == "AWS::Events::Rule" and isinstance(bus, dict) and buses.get(bus.get("Ref")):
            properties["EventBusName"] = buses[bus["Ref"]]
    # moto keeps a list element that `!If [Condition, element, !Ref AWS::NoValue]` removes on AWS (the upgrade-only
    # index) and fails on it: remove or keep it as CloudFormation would with the rehearsal's parameters.
    transformed["Resources"] = without_no_value_elements(transformed["Resources"], condition_values(transformed))
    port = free_port()
    log = open(os.path.join(os.environ.get("REHEARSAL_OUT", "."), "moto_server.log"), "w")
    server = subprocess.Popen([moto_server, "-p", str(port)], stdout=log, stderr=subprocess.STDOUT)
    try:
        endpoint = f"http://127.0.0.1:{port}"
        session = boto3.Session(aws_access_key_id="rehearsal", aws_secret_access_key="rehearsal", region_name="us-east-1")
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        s3 = session.client("s3", endpoint_url=endpoint)
        s3.create_bucket(Bucket="rehearsal-artifacts")
        archive = io.BytesIO()
        with zipfile.ZipFile(archive, "w") as zipped:
            zipped.writestr("handler.mjs", "export const handler = async () => ({});\n")
        s3.put_object(Bucket="rehearsal-artifacts", Key="packaged.zip", Body=archive.getvalue())
        cloudformation = session.client("cloudformation", endpoint_url=endpoint)
        cloudformation.create_stack(
            StackName=STACK,
            TemplateBody=json.dumps(transformed),
            Parameters=[{"ParameterKey": key, "ParameterValue": value} for key, value in PARAMETERS.items()],
            Capabilities=["CAPABILITY_IAM"],
        )
        deadline = time.time() + 90
        while True:
            status = cloudformation.describe_stacks(StackName=STACK)["Stacks"][0]["StackStatus"]
            if not status.endswith("IN_PROGRESS") or time.time() > deadline:
                break
            time.sleep(0.5)
        resources = cloudformation.list_stack_resources(StackName=STACK)["StackResourceSummaries"]
        created = {resource["LogicalResourceId"]: resource["ResourceStatus"] for resource in resources}
        print(f"moto: stack {STACK} {status}; {len(created)} of the {len(transformed['Resources'])} resources moto models created")
        for resource_type in unsupported:
            print(f"  not modelled by moto (only transformed and linted): {resource_type}")
        for name in skipped_outputs:
            print(f"  output left out in moto (reads an unmodelled resource): {name}")
        failed = [logical_id for logical_id, state in created.items() if state.endswith("FAILED")]
        for logical_id in failed:
            print(f"  FAILED: {logical_id}")
        return status == "CREATE_COMPLETE" and not failed
    finally:
        server.terminate()
        server.wait(timeout=10)


def condition_values(transformed):
    """The conditions of the form `!Equals [!Ref Parameter, value]`, as the rehearsal's parameters decide them."""
    defaults = {name: str(parameter.get("Default", "")) for name, parameter in transformed.get("Parameters", {}).items()}
    values = {**defaults, **PARAMETERS}
    decided = {}
    for name, condition in transformed.get("Conditions", {}).items():
        equals = condition.get("Fn::Equals") if isinstance(condition, dict) else None
        if isinstance(equals, list) and len(equals) == 2 and isinstance(equals[0], dict) and "Ref" in equals[0]:
            if equals[0]["Ref"] in values and isinstance(equals[1], str):
                decided[name] = values[equals[0]["Ref"]] == equals[1]
    return decided


def without_no_value_elements(value, decided):
    """List elements `{"Fn::If": [condition, element, {"Ref": "AWS::NoValue"}]}` resolved where `decided` knows it."""
    if isinstance(value, list):
        kept = []
        for item in value:
            branches = item.get("Fn::If") if isinstance(item, dict) else None
            if isinstance(branches, list) and len(branches) == 3 and branches[2] == {"Ref": "AWS::NoValue"} and branches[0] in decided:
                if decided[branches[0]]:
                    kept.append(without_no_value_elements(branches[1], decided))
                continue
            kept.append(without_no_value_elements(item, decided))
        return kept
    if isinstance(value, dict):
        return {key: without_no_value_elements(item, decided) for key, item in value.items()}
    return value


def main():
    template_path, out_dir = sys.argv[1], sys.argv[2]
    moto_server = sys.argv[3] if len(sys.argv) > 3 else ""
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    transformed = translate(template_path)
    os.makedirs(out_dir, exist_ok=True)
    os.environ["REHEARSAL_OUT"] = out_dir
    with open(os.path.join(out_dir, "transformed.json"), "w") as out:
        json.dump(transformed, out, indent=1, default=str)
    print(f"SAM transform: {len(transformed['Resources'])} resources ({out_dir}/transformed.json)")
    if not moto_server:
        print("NOTICE: moto_server is not installed here; the translated stack was NOT created in moto's CloudFormation.")
        return
    if not rehearse_in_moto(transformed, moto_server):
        sys.exit("deploy rehearsal: the stack did not create in moto")


if __name__ == "__main__":
    main()
