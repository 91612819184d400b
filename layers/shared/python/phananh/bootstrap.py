"""The real adapters, built once per container: every app's `app.py` takes its `Ports` from here at
import time. Building them costs nothing: each AWS client is created on its first call.
"""

from __future__ import annotations

from functools import cache

from phananh.adapters.aws.cognito import CognitoSignIns
from phananh.adapters.aws.kms import KmsContactVault
from phananh.adapters.aws.notifications import SesSnsNotifier
from phananh.adapters.aws.s3 import S3PhotoStorage
from phananh.adapters.aws.secrets import SecretsManagerSecret
from phananh.adapters.aws.sqs import SqsWorkQueues
from phananh.adapters.aws.stepfunctions import StepFunctionsEscalations
from phananh.adapters.dynamo.claims import DynamoIdempotencyStore
from phananh.adapters.dynamo.directory import DynamoDirectoryStore
from phananh.adapters.dynamo.rate_limits import DynamoRateLimitStore
from phananh.adapters.dynamo.reports import DynamoReportStore
from phananh.adapters.dynamo.scorecards import DynamoScorecardStore
from phananh.ports import Ports


@cache
def ports() -> Ports:
    return Ports(
        reports=DynamoReportStore(),
        directory=DynamoDirectoryStore(),
        claims=DynamoIdempotencyStore(),
        rate_limits=DynamoRateLimitStore(),
        scorecards=DynamoScorecardStore(),
        contacts=KmsContactVault(),
        photos=S3PhotoStorage(),
        queues=SqsWorkQueues(),
        notifier=SesSnsNotifier(),
        escalations=StepFunctionsEscalations(),
        secret=SecretsManagerSecret(),
        sign_ins=CognitoSignIns(),
    )
