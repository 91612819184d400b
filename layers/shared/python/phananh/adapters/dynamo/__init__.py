"""DynamoDB through PynamoDB: the table models and the stores built on them."""
