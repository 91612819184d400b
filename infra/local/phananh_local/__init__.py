"""The local stack: AWS resources on moto, built from the synthesized CDK app."""
