"""The real adapters, and a function built with only the ports its role may use."""

import pytest

from phananh import bootstrap
from phananh.adapters.aws.s3 import S3PhotoStorage
from phananh.adapters.aws.sqs import SqsWorkQueues
from phananh.adapters.dynamo.reports import DynamoReportStore


def test_every_port_gets_its_adapter():
    ports = bootstrap.ports()
    assert isinstance(ports.reports, DynamoReportStore)
    assert isinstance(ports.photos, S3PhotoStorage)
    assert not any(isinstance(value, bootstrap.OutOfReach) for value in vars(ports).values())


def test_a_function_built_with_some_ports_cannot_use_the_others():
    ports = bootstrap.ports("photos", "queues")
    assert isinstance(ports.photos, S3PhotoStorage) and isinstance(ports.queues, SqsWorkQueues)
    with pytest.raises(RuntimeError, match="'reports' port"):
        ports.reports.get("PA261123AAAAAAAA")
    with pytest.raises(RuntimeError, match="'contacts' port"):
        ports.contacts.unseal_contact(b"", "PA261123AAAAAAAA")


def test_an_unknown_port_is_refused():
    with pytest.raises(ValueError, match="no such port"):
        bootstrap.ports("photos", "printer")
