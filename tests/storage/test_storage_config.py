"""Endpoint, region, credentials and client configuration for NCP Object Storage."""

from __future__ import annotations

import pytest

from gx_clova import storage
from gx_clova.sources import SourceError, open_source


@pytest.mark.parametrize(
    ("uri", "expected"),
    [
        ("s3://datasets/train.csv", ("datasets", "train.csv")),
        ("s3://datasets/tuning/2024/train.jsonl", ("datasets", "tuning/2024/train.jsonl")),
    ],
)
def test_parse_s3_uri(uri, expected):
    assert storage.parse_s3_uri(uri) == expected


@pytest.mark.parametrize("uri", ["s3://", "s3://bucket", "s3://bucket/", "s3:///key.csv", "s3://b/folder/",
                                 "https://b/key.csv"])
def test_parse_s3_uri_refuses_what_is_not_an_object(uri):
    with pytest.raises(SourceError, match="expected s3://bucket/key"):
        storage.parse_s3_uri(uri)


def test_endpoint_defaults_to_kr_standard(monkeypatch):
    monkeypatch.delenv("GX_CLOVA_ENDPOINT_URL")
    assert storage.resolve_endpoint() == "https://kr.object.ncloudstorage.com"


def test_endpoint_from_environment_then_argument(monkeypatch):
    monkeypatch.setenv("GX_CLOVA_ENDPOINT_URL", "https://jp.object.ncpstorage.com/")
    assert storage.resolve_endpoint() == "https://jp.object.ncpstorage.com"
    assert storage.resolve_endpoint("https://sg.object.ncloudstorage.com") == "https://sg.object.ncloudstorage.com"


@pytest.mark.parametrize("endpoint", ["kr.object.ncloudstorage.com", "ftp://x", "https://user:pw@kr.object.ncloudstorage.com"])
def test_endpoint_must_be_a_plain_http_url(endpoint):
    with pytest.raises(SourceError) as caught:
        storage.resolve_endpoint(endpoint)
    assert "pw" not in str(caught.value)


@pytest.mark.parametrize(
    ("endpoint", "region"),
    [
        ("https://kr.object.ncloudstorage.com", "kr-standard"),
        ("https://us.object.ncloudstorage.com", "us-standard"),
        ("https://sg.object.ncloudstorage.com", "sg-standard"),
        ("https://de.object.ncloudstorage.com", "de-standard"),
        ("https://jp.object.ncpstorage.com", "jp-standard"),
        ("https://kr.object.fin-ncloudstorage.com", "fin-standard"),
        ("https://kr.object.gov-ncloudstorage.com", "gov-standard"),
        ("https://krs.object.gov-ncloudstorage.com", "gov2-standard"),
        ("http://127.0.0.1:9000", "kr-standard"),
    ],
)
def test_region_for_each_known_endpoint(endpoint, region):
    assert storage.region_for(endpoint) == region


def test_client_config_is_what_ncp_needs():
    config = storage.client_config()
    assert config.request_checksum_calculation == "when_required"
    assert config.response_checksum_validation == "when_required"
    assert config.s3 == {"addressing_style": "path"}
    assert config.connect_timeout == storage.CONNECT_TIMEOUT <= 5
    assert config.retries["total_max_attempts"] == storage.MAX_ATTEMPTS


def test_client_uses_endpoint_region_and_path_style(monkeypatch):
    client = storage.make_client("https://kr.object.fin-ncloudstorage.com")
    assert client.meta.region_name == "fin-standard"
    assert client.meta.endpoint_url == "https://kr.object.fin-ncloudstorage.com"
    url = client.generate_presigned_url("get_object", Params={"Bucket": "datasets", "Key": "a.csv"})
    assert url.startswith("https://kr.object.fin-ncloudstorage.com/datasets/a.csv?")


def test_ncp_variables_win_over_aws_ones(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AWSACCESSKEYNOTUSED1")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "aws-secret-not-used")
    credentials = storage.resolve_credentials()
    assert credentials.access_key == "NCPTESTACCESS7Q2W9E"
    assert credentials.origin == "NCP_ACCESS_KEY/NCP_SECRET_KEY"


def test_aws_variables_are_used_without_ncp_ones(monkeypatch):
    monkeypatch.delenv("NCP_ACCESS_KEY")
    monkeypatch.delenv("NCP_SECRET_KEY")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AWSACCESSKEYUSED0001")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "aws-secret-used-0001")
    assert storage.resolve_credentials().access_key == "AWSACCESSKEYUSED0001"


def test_a_named_profile_from_the_shared_credentials_file(monkeypatch, tmp_path):
    monkeypatch.delenv("NCP_ACCESS_KEY")
    monkeypatch.delenv("NCP_SECRET_KEY")
    credentials_file = tmp_path / "credentials"
    credentials_file.write_text("[ncp]\naws_access_key_id = PROFILEACCESSKEY0001\n"
                                "aws_secret_access_key = profile-secret-0001\n")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials_file))
    monkeypatch.setenv("AWS_PROFILE", "ncp")
    assert storage.resolve_credentials().access_key == "PROFILEACCESSKEY0001"


def test_an_unknown_profile_is_named(monkeypatch):
    monkeypatch.delenv("NCP_ACCESS_KEY")
    monkeypatch.delenv("NCP_SECRET_KEY")
    with pytest.raises(SourceError, match="no such credentials profile: 'nope'"):
        storage.resolve_credentials(profile="nope")


def test_half_of_the_ncp_pair_is_an_error(monkeypatch):
    monkeypatch.delenv("NCP_SECRET_KEY")
    with pytest.raises(SourceError, match="NCP_SECRET_KEY is not set") as caught:
        storage.resolve_credentials()
    assert "NCPTESTACCESS7Q2W9E" not in str(caught.value)


def test_no_credentials_at_all_says_what_to_set(monkeypatch):
    monkeypatch.delenv("NCP_ACCESS_KEY")
    monkeypatch.delenv("NCP_SECRET_KEY")
    with pytest.raises(SourceError, match="set NCP_ACCESS_KEY and NCP_SECRET_KEY"):
        storage.resolve_credentials()


def test_credentials_never_show_in_repr():
    credentials = storage.Credentials("ACCESSKEYREPR0001", "secret-repr-0001")
    assert "ACCESSKEYREPR0001" not in repr(credentials)
    assert "secret-repr-0001" not in repr(credentials)


def test_open_source_gives_an_s3_source_for_s3_uris():
    source = open_source("s3://datasets/tuning/train.jsonl", endpoint_url="https://kr.object.ncloudstorage.com")
    assert isinstance(source, storage.S3Source)
    assert (source.uri, source.name, source.bucket, source.key) == (
        "s3://datasets/tuning/train.jsonl", "train.jsonl", "datasets", "tuning/train.jsonl")
