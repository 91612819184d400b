"""AWS services through boto3, one module per service: KMS, S3, SQS, SES/SNS, Cognito, Step Functions and
Secrets Manager."""
