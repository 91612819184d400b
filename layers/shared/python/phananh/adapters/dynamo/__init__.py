"""DynamoDB through PynamoDB: the table models, and one module per store built on them."""
