"""Pushing to a reporter's app through SNS (moto's platform applications, as the CDK app makes them):
its endpoint made once per token, an endpoint SNS knows under other attributes reused, and nothing
the adapter raises carrying the token."""

import uuid

import boto3
import pytest
from botocore.exceptions import ClientError
from moto.core import DEFAULT_ACCOUNT_ID
from moto.sns.models import sns_backends

from phananh.adapters.aws import notifications
from phananh.adapters.aws.notifications import PushFailed, SesSnsNotifier
from phananh.report.ports import DeviceGone
from phananh.report.push_device import Platform, PushDevice


def a_device(platform: Platform = Platform.FCM) -> PushDevice:
    token = uuid.uuid4().hex * 2 if platform is Platform.APNS else f"phone-{uuid.uuid4().hex}:APA91b"
    return PushDevice(platform, token)


def endpoints_of(aws, device: PushDevice) -> list:
    return [endpoint for endpoint in sns_backends[DEFAULT_ACCOUNT_ID][aws.region].platform_endpoints.values()
            if endpoint.token == device.token]


@pytest.mark.parametrize("platform, sns_platform", [(Platform.FCM, "GCM"), (Platform.APNS, "APNS")])
def test_each_token_gets_one_endpoint_in_its_services_application(aws, platform, sns_platform):
    device = a_device(platform)
    SesSnsNotifier().push_to_device(device, "một")
    SesSnsNotifier().push_to_device(device, "hai")
    [endpoint] = endpoints_of(aws, device)
    assert endpoint.application.platform == sns_platform
    assert list(endpoint.messages.values()) == ["một", "hai"]


def test_an_endpoint_registered_under_other_attributes_is_the_one_used(aws):
    device = a_device()
    application = aws.environment["PHANANH_PUSH_FCM_APPLICATION_ARN"]
    existing = boto3.client("sns").create_platform_endpoint(
        PlatformApplicationArn=application, Token=device.token, CustomUserData="an older registration"
    )["EndpointArn"]
    SesSnsNotifier().push_to_device(device, "tin")
    [endpoint] = endpoints_of(aws, device)
    assert endpoint.arn == existing and list(endpoint.messages.values()) == ["tin"]


def test_a_service_without_an_application_reaches_no_device(aws, monkeypatch):
    monkeypatch.setenv("PHANANH_PUSH_APNS_APPLICATION_ARN", "")
    notifications.get_settings.cache_clear()
    with pytest.raises(DeviceGone):
        SesSnsNotifier().push_to_device(a_device(Platform.APNS), "tin")


class RefusingSns:
    """SNS answering as it may, its message quoting the token and the endpoint."""

    def __init__(self, sns, code: str, token: str):
        self.sns, self.code, self.token = sns, code, token

    def __getattr__(self, name):
        return getattr(self.sns, name)

    def publish(self, **kwargs):
        raise ClientError({"Error": {"Code": self.code, "Message": f"{kwargs['TargetArn']} token {self.token}"}},
                          "Publish")


@pytest.mark.parametrize("code, raised", [("Throttling", PushFailed), ("InvalidParameter", DeviceGone)])
def test_what_the_adapter_raises_names_neither_token_nor_endpoint(aws, monkeypatch, code, raised):
    device = a_device()
    sns = boto3.client("sns")
    monkeypatch.setattr(notifications, "client", lambda service: RefusingSns(sns, code, device.token))
    with pytest.raises(raised) as failed:
        SesSnsNotifier().push_to_device(device, "tin")
    assert str(failed.value) == code
    assert failed.value.__cause__ is None and failed.value.__suppress_context__
    if raised is DeviceGone:
        assert endpoints_of(aws, device) == []  # dropped: no push reaches that token
