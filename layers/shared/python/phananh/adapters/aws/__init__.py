"""AWS services through boto3: KMS, S3, SQS, SES/SNS, Cognito, Step Functions."""
