"""The target endpoint's account in one region: clients, pseudo parameters and the stacks' exports."""

from __future__ import annotations

from typing import Any

import boto3


class Account:
    """Clients and pseudo parameters for one region of the target endpoint."""

    def __init__(self, region: str) -> None:
        self.region = region
        self._session = boto3.session.Session(region_name=region)
        self._clients: dict[str, Any] = {}
        self.account_id = self.client("sts").get_caller_identity()["Account"]
        self.partition = (
            "aws-cn" if region.startswith("cn-") else "aws-us-gov" if region.startswith("us-gov-") else "aws"
        )
        self.url_suffix = "amazonaws.com.cn" if self.partition == "aws-cn" else "amazonaws.com"
        self.exports: dict[str, str] = {}

    def client(self, service: str) -> Any:
        if service not in self._clients:
            self._clients[service] = self._session.client(service)
        return self._clients[service]

    def queue_url(self, queue_arn: str) -> str:
        name, owner = queue_arn.split(":")[5], queue_arn.split(":")[4]
        return self.client("sqs").get_queue_url(QueueName=name, QueueOwnerAWSAccountId=owner)["QueueUrl"]
