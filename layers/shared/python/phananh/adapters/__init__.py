"""The only code that knows DynamoDB, AWS services, Chalice and wire formats; contexts reach it through ports."""
