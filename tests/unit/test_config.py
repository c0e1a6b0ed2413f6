"""Settings from the environment: the token key, which only the cloud API gets."""

from __future__ import annotations

import boto3

from chalicelib.config import Settings


def test_the_cloud_api_reads_its_token_key_from_secrets_manager(cloud_settings):
    secrets = boto3.client(
        "secretsmanager", region_name="eu-west-1", endpoint_url=cloud_settings.cloud_endpoint
    )
    arn = secrets.create_secret(Name="sonagram-token-key", SecretString="k" * 64)["ARN"]
    settings = Settings.from_environ(
        {
            "SONAGRAM_STAGE": "prod",
            "AWS_REGION": "eu-west-1",
            "AWS_ENDPOINT_URL": cloud_settings.cloud_endpoint,
            "AUTH_SECRET_ARN": arn,
        }
    )
    assert settings.auth_secret == "k" * 64


def test_a_cloud_function_without_a_key_has_none_never_the_local_one():
    # The worker and the sweeper: they start without one, and check no tokens.
    assert Settings.from_environ({"SONAGRAM_STAGE": "prod"}).auth_secret is None
    assert Settings.from_environ({"SONAGRAM_STAGE": "prod", "AUTH_SECRET": ""}).auth_secret is None


def test_the_local_stage_has_a_key_of_its_own():
    assert Settings.from_environ({}).auth_secret == Settings.auth_secret
