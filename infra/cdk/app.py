"""CDK entry point: `cd infra/cdk && ../../.venv/bin/python app.py` (or `cdk synth`)."""

import os

os.environ.setdefault("AWS_DEFAULT_REGION", "ap-southeast-1")
# Node 20 is past jsii's support window here; both variables are needed depending on the date.
os.environ.setdefault("JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION", "1")
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
# The CDK CLI sets CDK_OUTDIR; a direct run would otherwise synthesize into a temp folder.
os.environ.setdefault("CDK_OUTDIR", "cdk.out")

from phananh_cdk.stacks import build_app

app, _ = build_app()
app.synth()
