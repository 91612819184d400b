"""The phananh CDK app: stacks by concern (data, messaging, identity, workflow, one per Chalice app,
edge, observability).

Kept free of heavy imports so tools can read the configuration without starting jsii.
"""
