"""The phananh CDK app: stacks by concern (data, messaging, one per Chalice app).

Kept free of heavy imports so tools can read the configuration without starting jsii.
"""
