"""The CLOVA Studio client against the local emulator: auth, errors, retries, ambiguity."""

from __future__ import annotations

import socket
import time

import pytest

from gx_clova.submitter import backoff
from gx_clova.submitter.api import StudioClient, resolve_api_url
from gx_clova.submitter.auth import ApigwAuth, BearerAuth, auth_from_env
from gx_clova.submitter.errors import AmbiguousCreate, ApiError, UsageError

API_KEY = "nv-TESTAPIKEY5Jd8Kq2Lx9Vb"


@pytest.fixture
def body(storage, bucket):
    storage.put(bucket, "train.csv", b"C_ID,T_ID,Text,Completion\n")
    return {"name": "faq", "model": "HCX-003", "tuningType": "PEFT", "taskType": "GENERATION",
            "trainEpochs": "8", "learningRate": "1e-4", "trainingDatasetUri": f"127.0.0.1:{storage.proxy.port}",
            "trainingDatasetBucket": bucket, "trainingDatasetFilePath": "train.csv",
            "trainingDatasetAccessKey": "NCPTESTACCESS7Q2W9E",
            "trainingDatasetSecretKey": "ncpTestSecret/9x+Zq=Lk2Wm8Rt4Yp6"}


def client(studio, auth=None, **options):
    return StudioClient(studio.url, auth or BearerAuth(API_KEY), **options)


def test_create_then_poll_to_success(studio, body):
    created = client(studio).create_task(body, request_id="req-1")
    assert created == {"id": created["id"], "status": "WAIT"}
    statuses = [client(studio).get_task(created["id"])["status"] for _ in range(4)]
    assert statuses == ["WAIT", "RUNNING", "SUCCEEDED", "SUCCEEDED"]
    method, path, headers = studio.creates()[0]
    assert (path, headers["authorization"], headers["x-ncp-clovastudio-request-id"]) == (
        "/tuning/v2/tasks", f"Bearer {API_KEY}", "req-1")


def test_apigw_signature_is_accepted(studio, body):
    auth = ApigwAuth("NCPIAMTESTACCESS3F7H", "iamTestSecret+Qw8/Er5Ty2=Ui")
    created = client(studio, auth).create_task(body, request_id="req-2")
    assert client(studio, auth).get_task(created["id"])["status"] == "WAIT"
    headers = studio.seen[-1][2]
    assert "authorization" not in headers and headers["x-ncp-iam-access-key"] == "NCPIAMTESTACCESS3F7H"


@pytest.mark.parametrize(
    ("auth", "code"),
    [
        (BearerAuth("nv-wrong-key-000"), "40104"),
        (ApigwAuth("NCPIAMTESTACCESS3F7H", "wrong-iam-secret"), "40101"),
    ],
)
def test_refused_credentials(studio, body, auth, code):
    with pytest.raises(ApiError) as caught:
        client(studio, auth).create_task(body, request_id="r")
    assert str(caught.value).startswith(f"CLOVA Studio refused the credentials for the task creation ({code} ")
    assert caught.value.exit_status == 3
    assert "wrong-iam-secret" not in str(caught.value) and "nv-wrong-key-000" not in str(caught.value)
    assert len(studio.seen) == 1  # an auth failure is not retried


def test_invalid_parameter_is_a_usage_error(studio, body):
    body["trainEpochs"] = "99"
    with pytest.raises(ApiError) as caught:
        client(studio).create_task(body, request_id="r")
    assert str(caught.value) == ("CLOVA Studio rejected a parameter of the task creation (40001 Invalid parameter): "
                                 "Invalid parameter: trainEpochs must be 1-20")
    assert caught.value.exit_status == 2
    assert studio.tasks == {}


def test_unknown_task(studio):
    with pytest.raises(ApiError, match=r"CLOVA Studio found no task t-none \(40400 Not found\)"):
        client(studio).get_task("t-none")


@pytest.mark.parametrize(("status", "code"), [(429, "42901"), (503, "50300"), (500, "50000")])
def test_create_is_retried_when_nothing_was_created(studio, body, status, code):
    studio.fail_next(status, code, method="POST", times=2)
    notices = []
    created = client(studio, notify=notices.append).create_task(body, request_id="same-id")
    assert len(studio.creates()) == 3 and len(studio.tasks) == 1
    assert {headers["x-ncp-clovastudio-request-id"] for _, _, headers in studio.creates()} == {"same-id"}
    assert created["id"] in studio.tasks
    assert notices[0].startswith(f"the task creation failed (HTTP {status} {code}); retry 1 of 3")


def test_retry_after_is_honoured_within_the_cap(studio, body, monkeypatch):
    waits = []
    monkeypatch.setattr(backoff.time, "sleep", waits.append)
    studio.fail_next(429, "42900", method="POST", retry_after="0.04")
    client(studio).create_task(body, request_id="r")
    assert waits == [pytest.approx(0.04)]


def test_throttling_that_does_not_stop(studio, body):
    studio.fail_next(429, "42901", times=10)
    with pytest.raises(ApiError) as caught:
        client(studio).create_task(body, request_id="r")
    assert str(caught.value) == ("CLOVA Studio kept throttling the task creation (42901 injected) after 4 attempt(s); "
                                 "try again later")
    assert len(studio.creates()) == 4 and studio.tasks == {}


@pytest.mark.parametrize("status", [502, 504])
def test_create_is_not_retried_when_the_task_may_exist(studio, body, status):
    studio.fail_next(status, str(status * 100), method="POST", times=5)
    with pytest.raises(AmbiguousCreate) as caught:
        client(studio).create_task(body, request_id="req-amb")
    assert "may or may not have been created (request id req-amb)" in str(caught.value)
    assert len(studio.creates()) == 1


def test_a_lost_answer_to_a_processed_create_is_ambiguous(studio, body):
    studio.lose_next_create_answer = True
    with pytest.raises(AmbiguousCreate, match="connection"):
        client(studio).create_task(body, request_id="req-lost")
    assert len(studio.creates()) == 1 and len(studio.tasks) == 1


def test_status_polls_retry_any_server_error(studio, body):
    task_id = client(studio).create_task(body, request_id="r")["id"]
    studio.fail_next(502, "50200", method="GET", times=2)
    assert client(studio).get_task(task_id)["status"] == "WAIT"


def _answer_slowly(studio, monkeypatch, seconds: float = 0.6) -> None:
    """Every emulator answer from now on comes ``seconds`` late."""
    original = studio.injected

    def slow(method):
        time.sleep(seconds)
        return original(method)

    monkeypatch.setattr(studio, "injected", slow)


def test_a_slow_api_times_out(studio, body, monkeypatch):
    task_id = client(studio).create_task(body, request_id="r")["id"]
    _answer_slowly(studio, monkeypatch)
    with pytest.raises(ApiError, match=r"CLOVA Studio at .* gave no answer to task t\d+ \(timed out\) after 4 attempt"):
        client(studio, timeout=0.2).get_task(task_id)


def test_a_create_that_times_out_is_ambiguous_not_retried(studio, body, monkeypatch):
    _answer_slowly(studio, monkeypatch)
    with pytest.raises(AmbiguousCreate, match=r"\(timed out\).*may or may not have been created"):
        client(studio, timeout=0.2).create_task(body, request_id="req-slow")
    assert len(studio.creates()) == 1
    deadline = time.monotonic() + 5
    while not studio.tasks and time.monotonic() < deadline:  # the server still creates it, late
        time.sleep(0.05)
    assert len(studio.tasks) == 1


def test_unreachable_api(monkeypatch):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(ApiError) as caught:
        StudioClient(f"http://127.0.0.1:{port}", BearerAuth(API_KEY)).create_task({}, request_id="r")
    assert not isinstance(caught.value, AmbiguousCreate)
    assert str(caught.value) == (f"CLOVA Studio API unreachable at http://127.0.0.1:{port} (connection refused) "
                                 "after 4 attempt(s)")


def test_api_url_resolution(monkeypatch):
    monkeypatch.delenv("CLOVASTUDIO_API_URL")
    assert resolve_api_url(None, "bearer") == "https://clovastudio.stream.ntruss.com"
    assert resolve_api_url(None, "apigw") == "https://clovastudio.apigw.ntruss.com"
    monkeypatch.setenv("CLOVASTUDIO_API_URL", "http://127.0.0.1:9/")
    assert resolve_api_url(None, "bearer") == "http://127.0.0.1:9"
    assert resolve_api_url("https://example.test/prefix", "bearer") == "https://example.test/prefix"
    with pytest.raises(UsageError, match="--api-url must be an http"):
        resolve_api_url("clovastudio.stream.ntruss.com", "bearer")


def test_auth_from_env(monkeypatch):
    assert isinstance(auth_from_env(), BearerAuth)
    assert isinstance(auth_from_env("apigw"), ApigwAuth)
    monkeypatch.setenv("CLOVASTUDIO_AUTH", "apigw")
    assert isinstance(auth_from_env(), ApigwAuth)
    monkeypatch.delenv("NCP_IAM_SECRET_KEY")
    with pytest.raises(UsageError, match="NCP_IAM_SECRET_KEY not set"):
        auth_from_env()
    monkeypatch.delenv("CLOVASTUDIO_API_KEY")
    with pytest.raises(UsageError, match="CLOVASTUDIO_API_KEY is not set"):
        auth_from_env("bearer")


def test_bearer_prefix_in_the_variable_is_tolerated():
    assert BearerAuth(f"Bearer {API_KEY}").headers("GET", "/") == {"Authorization": f"Bearer {API_KEY}"}
