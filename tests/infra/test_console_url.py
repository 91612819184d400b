"""The alert e-mails' deep links: every function is told where the console is served, from the
deploy configuration (the functions cannot read the CloudFront distribution that fronts them)."""

import pytest


class _Context:
    def __init__(self, **overrides):
        from phananh_cdk.config import file_context

        self.values = {**file_context(), **overrides}

    def try_get_context(self, key):
        return self.values.get(key)


def _config(**overrides):
    from phananh_cdk.config import DeployConfig

    return DeployConfig.from_context(_Context(**overrides))


def test_the_console_url_comes_from_the_public_base_url_or_the_custom_domain():
    assert _config().console_url == ""
    assert _config(domain_name="phananh.tinh.gov.vn", certificate_arn="arn:aws:acm:us-east-1:1:certificate/x"
                   ).console_url == "https://phananh.tinh.gov.vn/console"
    assert _config(public_base_url="https://d111abcdef8.cloudfront.net/").console_url == (
        "https://d111abcdef8.cloudfront.net/console")


@pytest.mark.parametrize("url", ["http://phananh.vn", "https://", "https://a.vn/path", "phananh.vn",
                                 "https://a.vn?x=1", "https://user@a.vn"])
def test_a_public_base_url_that_is_not_an_https_origin_is_refused(url):
    with pytest.raises(ValueError, match="public_base_url"):
        _config(public_base_url=url)


def test_every_function_gets_the_console_url(stacks, cloud_assembly):
    from phananh_cdk.config import DeployConfig

    config = DeployConfig.from_context(next(iter(stacks.apps.values())).node)
    environments = [
        resource["Properties"]["Environment"]["Variables"]
        for stack in stacks.apps.values()
        for resource in cloud_assembly.get_stack_by_name(stack.stack_name).template["Resources"].values()
        if resource["Type"] == "AWS::Serverless::Function"
    ]
    assert environments
    assert {environment["PHANANH_CONSOLE_URL"] for environment in environments} == {config.console_url}
