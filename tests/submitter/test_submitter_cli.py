"""``gx-clova submit`` end to end: real S3 server behind the NCP proxy, CLOVA Studio emulator."""

from __future__ import annotations

import hashlib
import json
import socket

import pytest
from gx_clova.submitter.ledger import Ledger

ARGS = ("--name", "faq-tuning", "--model", "HCX-003")


def sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def nothing_launched(storage, studio, bucket=None):
    assert studio.creates() == [] and studio.tasks == {}
    if bucket is not None:
        assert storage.keys(bucket) == []
        assert storage.incomplete_uploads(bucket) == []


def ledger_entries(tmp_path):
    path = tmp_path / "state" / "submissions.json"
    return json.loads(path.read_text()) if path.exists() else {}


# -- success ---------------------------------------------------------------------------------------
def test_a_local_file_is_uploaded_verified_and_launched(gx_clova, storage, studio, bucket, big_dataset):
    run = gx_clova("submit", big_dataset, *ARGS, "--bucket", bucket, "--key", "tuning/big.csv", "--part-size", "5")
    assert run.returncode == 0, run.stderr
    [task] = studio.tasks.values()
    assert run.stdout.startswith(f"tuning task {task.id} created (WAIT) for s3://{bucket}/tuning/big.csv")
    assert f"gx-clova status {task.id} --wait" in run.stdout
    assert task.dataset_sha256 == sha256(big_dataset)  # CLOVA Studio read exactly the validated bytes
    assert {k: task.body[k] for k in ("name", "model", "tuningType", "taskType", "trainEpochs", "learningRate",
                                      "trainingDatasetUri", "trainingDatasetBucket", "trainingDatasetFilePath")} == {
        "name": "faq-tuning", "model": "HCX-003", "tuningType": "PEFT", "taskType": "GENERATION",
        "trainEpochs": "8", "learningRate": "1e-4", "trainingDatasetUri": f"127.0.0.1:{storage.proxy.port}",
        "trainingDatasetBucket": bucket, "trainingDatasetFilePath": "tuning/big.csv"}
    assert len(storage.requests("PUT", "partNumber")) == 3
    assert storage.incomplete_uploads(bucket) == []
    assert "verified s3://" in run.stderr and "in 3 part(s)" in run.stderr


def test_classification_with_custom_hyper_parameters(gx_clova, studio, bucket, dataset, validator):
    run = gx_clova("submit", dataset, *ARGS, "--bucket", bucket, "--task", "classification",
                   "--epochs", "3", "--learning-rate", "5e-5", "--format", "json")
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert result["action"] == "created" and result["uploaded"] is True and result["key"] == "train.csv"
    body = studio.tasks[result["task_id"]].body
    assert (body["taskType"], body["trainEpochs"], body["learningRate"]) == ("CLASSIFICATION", "3", "5e-5")
    assert validator.calls == [(str(dataset), "classification")]


def test_an_object_already_on_storage_is_submitted_in_place(gx_clova, storage, studio, bucket, dataset,
                                                             monkeypatch):
    storage.put(bucket, "in/place.csv", dataset.read_bytes())
    monkeypatch.setenv("GX_CLOVA_ENDPOINT_URL", f"http://127.0.0.1:{closed_port()}")  # --endpoint-url wins
    run = gx_clova("submit", f"s3://{bucket}/in/place.csv", *ARGS, "--endpoint-url", storage.endpoint)
    assert run.returncode == 0, run.stderr
    [task] = studio.tasks.values()
    assert task.dataset_sha256 == sha256(dataset)
    assert storage.requests("PUT") == []  # no re-upload
    assert task.body["trainingDatasetFilePath"] == "in/place.csv"


def test_apigw_authentication(gx_clova, studio, bucket, dataset, monkeypatch):
    monkeypatch.delenv("CLOVASTUDIO_API_KEY")
    run = gx_clova("submit", dataset, *ARGS, "--bucket", bucket, "--auth", "apigw")
    assert run.returncode == 0, run.stderr
    assert "x-ncp-apigw-signature-v2" in studio.creates()[0][2]


# -- dry run ---------------------------------------------------------------------------------------
def test_dry_run_prints_the_request_with_secrets_masked(gx_clova, storage, studio, bucket, dataset):
    run = gx_clova("submit", dataset, *ARGS, "--bucket", bucket, "--dry-run", "--format", "json")
    assert run.returncode == 0, run.stderr
    request = json.loads(run.stdout)["request"]
    assert request["method"] == "POST" and request["url"] == f"{studio.url}/tuning/v2/tasks"
    assert request["headers"]["Authorization"] == "Bearer ***"
    assert request["body"]["trainingDatasetAccessKey"] == request["body"]["trainingDatasetSecretKey"] == "***"
    assert request["body"]["trainingDatasetBucket"] == bucket
    nothing_launched(storage, studio, bucket)
    assert storage.requests() == [] and ledger_entries(dataset.parent) == {}

    text = gx_clova("submit", dataset, *ARGS, "--bucket", bucket, "--dry-run")
    assert text.returncode == 0
    assert "nothing was uploaded and no task was created" in text.stdout and '"trainingDatasetSecretKey": "***"' in text.stdout


# -- the gate ----------------------------------------------------------------------------------------
def test_a_failing_dataset_is_not_uploaded(gx_clova, storage, studio, bucket, tmp_path, make_dataset):
    broken = make_dataset(tmp_path / "broken.csv", broken_rows=(3, 7))
    run = gx_clova("submit", broken, *ARGS, "--bucket", bucket)
    assert run.returncode == 1
    assert run.stderr.strip() == ("gx-clova submit: error: the dataset failed validation: c_id.sequence (2 lines); "
                               "nothing was uploaded and no task was created")
    nothing_launched(storage, studio, bucket)
    assert storage.requests() == []


@pytest.mark.parametrize("change", ["append", "same-size"])
def test_a_file_changed_after_validation_is_refused(gx_clova, storage, studio, bucket, dataset, change, validator):
    def tamper(source):
        data = dataset.read_bytes()
        if change == "append":
            dataset.write_bytes(data + b"1,0,x,y\n")
        else:
            dataset.write_bytes(data.replace("답변 5".encode(), "답변 6".encode(), 1))

    validator.after_validation.append(tamper)
    run = gx_clova("submit", dataset, *ARGS, "--bucket", bucket)
    assert run.returncode == 1
    assert "changed after it was validated; validate it again" in run.stderr
    nothing_launched(storage, studio, bucket)


def test_an_object_changed_after_validation_is_refused(gx_clova, storage, studio, bucket, dataset, validator):
    storage.put(bucket, "train.csv", dataset.read_bytes())
    validator.after_validation.append(lambda source: storage.put(bucket, "train.csv", b"C_ID,T_ID\n"))
    run = gx_clova("submit", f"s3://{bucket}/train.csv", *ARGS)
    assert run.returncode == 1
    assert f"s3://{bucket}/train.csv is not the dataset that passed validation" in run.stderr
    nothing_launched(storage, studio)


def test_a_file_changed_during_the_upload_is_refused_and_removed(gx_clova, storage, studio, bucket, big_dataset):
    def tamper():  # part 2 is in flight, part 3 not read yet: change the tail, same size
        data = bytearray(big_dataset.read_bytes())
        data[-10] = ord("9") if data[-10] != ord("9") else ord("8")
        big_dataset.write_bytes(bytes(data))

    storage.proxy.add_fault(lambda r: r.has("partNumber", "2"), action="hook", hook=tamper)
    run = gx_clova("submit", big_dataset, *ARGS, "--bucket", bucket, "--part-size", "5")
    assert run.returncode == 1
    assert "(as read during the upload) is not the dataset that passed validation" in run.stderr
    assert f"the uploaded object s3://{bucket}/big.csv was deleted" in run.stderr
    nothing_launched(storage, studio, bucket)


# -- idempotency -----------------------------------------------------------------------------------
def test_running_the_same_submit_again_does_not_create_a_second_task(gx_clova, storage, studio, bucket, dataset,
                                                                      tmp_path):
    first = gx_clova("submit", dataset, *ARGS, "--bucket", bucket)
    assert first.returncode == 0
    [task_id] = studio.tasks
    storage.proxy.reset()
    again = gx_clova("submit", dataset, *ARGS, "--bucket", bucket)
    assert again.returncode == 0
    assert again.stdout.startswith(f"tuning task {task_id} already exists for s3://{bucket}/train.csv; "
                                "no second task was created")
    assert "not creating another (--force would)" in again.stderr
    assert len(studio.creates()) == 1 and storage.requests() == []

    other_epochs = gx_clova("submit", dataset, *ARGS, "--bucket", bucket, "--epochs", "4")
    assert other_epochs.returncode == 0 and len(studio.tasks) == 2

    forced = gx_clova("submit", dataset, *ARGS, "--bucket", bucket, "--force")
    assert forced.returncode == 0 and len(studio.tasks) == 3
    entries = ledger_entries(tmp_path)
    assert sorted(e["previous_task_ids"] for e in entries.values()) == [[], [task_id]]
    assert {e["state"] for e in entries.values()} == {"created"}


def test_a_lost_create_answer_blocks_a_blind_retry(gx_clova, studio, bucket, dataset):
    studio.lose_next_create_answer = True
    lost = gx_clova("submit", dataset, *ARGS, "--bucket", bucket)
    assert lost.returncode == 3
    assert "The task may or may not have been created (request id " in lost.stderr
    again = gx_clova("submit", dataset, *ARGS, "--bucket", bucket)
    assert again.returncode == 3  # the service's status: the dataset passed (issue 9: it said 1, "failed")
    assert "got no answer, so the task may exist" in again.stderr
    assert len(studio.creates()) == 1
    forced = gx_clova("submit", dataset, *ARGS, "--bucket", bucket, "--force")
    assert forced.returncode == 0 and len(studio.tasks) == 2


# -- faults ------------------------------------------------------------------------------------------
def test_a_connection_dropped_mid_upload_is_retried(gx_clova, storage, studio, bucket, big_dataset):
    storage.proxy.add_fault(lambda r: r.has("partNumber", "2"), action="drop")
    run = gx_clova("submit", big_dataset, *ARGS, "--bucket", bucket, "--part-size", "5")
    assert run.returncode == 0, run.stderr
    assert "part 2 of 3 of s3://" in run.stderr and "failed (ConnectionClosedError); retry 1 of 3" in run.stderr
    [task] = studio.tasks.values()
    assert task.dataset_sha256 == sha256(big_dataset)


def test_an_upload_that_keeps_failing_launches_nothing(gx_clova, storage, studio, bucket, big_dataset, tmp_path):
    storage.proxy.add_fault(lambda r: r.has("partNumber", "3"), status=500, code="InternalError", times=-1)
    run = gx_clova("submit", big_dataset, *ARGS, "--bucket", bucket, "--part-size", "5")
    assert run.returncode == 3
    assert run.stderr.strip().splitlines()[-1] == (
        f"gx-clova submit: error: upload of s3://{bucket}/big.csv failed at part 3 of 3: Object Storage at "
        f"{storage.endpoint} kept failing (InternalError, HTTP 500); try again later; the incomplete multipart "
        "upload was aborted")
    nothing_launched(storage, studio, bucket)
    assert ledger_entries(tmp_path) == {}


def test_throttled_task_creation_is_retried(gx_clova, studio, bucket, dataset):
    studio.fail_next(429, "42901", method="POST", times=2)
    run = gx_clova("submit", dataset, *ARGS, "--bucket", bucket)
    assert run.returncode == 0, run.stderr
    assert len(studio.creates()) == 3 and len(studio.tasks) == 1
    assert run.stderr.count("the task creation failed (HTTP 429 42901)") == 2


def test_refused_api_key_creates_nothing_and_leaves_no_pending_entry(gx_clova, studio, bucket, dataset,
                                                                     monkeypatch, tmp_path):
    monkeypatch.setenv("CLOVASTUDIO_API_KEY", "nv-not-the-right-key")
    refused = gx_clova("submit", dataset, *ARGS, "--bucket", bucket)
    assert refused.returncode == 3
    assert "CLOVA Studio refused the credentials for the task creation (40104 Unauthorized)" in refused.stderr
    assert studio.tasks == {} and ledger_entries(tmp_path) == {}
    monkeypatch.setenv("CLOVASTUDIO_API_KEY", "nv-TESTAPIKEY5Jd8Kq2Lx9Vb")
    assert gx_clova("submit", dataset, *ARGS, "--bucket", bucket).returncode == 0


def test_a_parameter_refused_by_the_api_is_a_usage_error(gx_clova, studio, bucket, dataset):
    studio.fail_next(400, "40001", method="POST")
    run = gx_clova("submit", dataset, *ARGS, "--bucket", bucket)
    assert run.returncode == 2
    assert "(40001 Invalid parameter)" in run.stderr


def test_unreachable_storage(gx_clova, studio, bucket, dataset):
    endpoint = f"http://127.0.0.1:{closed_port()}"
    run = gx_clova("submit", dataset, *ARGS, "--bucket", bucket, "--endpoint-url", endpoint)
    assert run.returncode == 3
    assert f"Object Storage is unreachable at {endpoint}: could not connect" in run.stderr
    nothing_launched(None, studio)


def test_unreachable_api(gx_clova, studio, bucket, dataset, tmp_path):
    api = f"http://127.0.0.1:{closed_port()}"
    run = gx_clova("submit", dataset, *ARGS, "--bucket", bucket, "--api-url", api)
    assert run.returncode == 3
    assert f"CLOVA Studio API unreachable at {api} (connection refused) after 4 attempt(s)" in run.stderr
    assert ledger_entries(tmp_path) == {}


def test_a_missing_file_cannot_be_read(gx_clova, studio, bucket, tmp_path):
    run = gx_clova("submit", tmp_path / "nope.csv", *ARGS, "--bucket", bucket)
    assert run.returncode == 3
    assert "cannot read" in run.stderr and "No such file or directory" in run.stderr


def test_a_missing_object_cannot_be_read(gx_clova, studio, bucket):
    run = gx_clova("submit", f"s3://{bucket}/nope.csv", *ARGS)
    assert run.returncode == 3
    assert f"s3://{bucket}/nope.csv does not exist" in run.stderr


# -- usage errors ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("extra", "unset", "message"),
    [
        ((), (), "--bucket is required to upload a local file"),
        (("--bucket", "b", "--epochs", "0"), (), "--epochs must be a whole number from 1 to 20 (got '0')"),
        (("--bucket", "b", "--learning-rate", "fast"), (), "--learning-rate must be a number from 1e-06 to 1"),
        (("--bucket", "b", "--epochs", "30", "--learning-rate", "2"), (),
         "--epochs must be a whole number from 1 to 20 (got '30'); --learning-rate"),
        (("--bucket", "b", "--part-size", "4"), (), "--part-size: part size must be from 5 MiB to 5 GiB"),
        (("--bucket", "b"), ("CLOVASTUDIO_API_KEY",), "CLOVASTUDIO_API_KEY is not set"),
        (("--bucket", "b"), ("NCP_ACCESS_KEY", "NCP_SECRET_KEY"), "no Object Storage credentials"),
        (("--bucket", "b", "--api-url", "ftp://x"), (), "--api-url must be an http(s) base URL"),
    ],
)
def test_usage_errors_exit_2_before_anything_is_read(gx_clova, storage, studio, dataset, monkeypatch, extra,
                                                     unset, message, validator):
    for name in unset:
        monkeypatch.delenv(name)
    run = gx_clova("submit", dataset, *ARGS, *extra)
    assert run.returncode == 2
    assert run.stderr.startswith("gx-clova submit: error: ") and message in run.stderr
    assert "Traceback" not in run.stderr
    assert validator.calls == [] and storage.requests() == [] and studio.seen == []


def test_errors_are_json_too_with_format_json(gx_clova, dataset):
    run = gx_clova("submit", dataset, *ARGS, "--epochs", "0", "--format", "json")
    assert run.returncode == 2
    assert json.loads(run.stdout) == {"error": "--epochs must be a whole number from 1 to 20 (got '0')",
                                   "exit_status": 2}


@pytest.mark.parametrize("option", [("--interval", "0"), ("--timeout", "-1")])
def test_status_timing_must_be_positive(gx_clova, option):
    run = gx_clova("status", "t1", "--wait", *option)
    assert run.returncode == 2 and "must be positive numbers of seconds" in run.stderr


def test_model_must_be_given(gx_clova, dataset):
    run = gx_clova("submit", dataset, "--name", "n", "--model", " ", "--bucket", "b")
    assert run.returncode == 2 and "--model must be a model name" in run.stderr


def test_bucket_and_key_must_match_an_s3_source(gx_clova):
    run = gx_clova("submit", "s3://a/b.csv", *ARGS, "--bucket", "other")
    assert run.returncode == 2 and "leave out --bucket/--key or make them match it" in run.stderr


@pytest.mark.parametrize("argv", [("submit",), ("submit", "x.csv", "--model", "m"),
                                  ("submit", "x.csv", *ARGS, "--task", "chat"),
                                  ("status",), ("status", "t1", "--interval", "soon")])
def test_argparse_errors_exit_2(gx_clova, argv):
    run = gx_clova(*argv)
    assert run.returncode == 2 and "error:" in run.stderr and "Traceback" not in run.stderr


# -- status -------------------------------------------------------------------------------------------
def launch(gx_clova, studio, bucket, dataset, outcome=("SUCCEEDED", None, None)):
    studio.next_outcome = outcome
    run = gx_clova("submit", dataset, *ARGS, "--bucket", bucket, "--format", "json")
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)["task_id"]


def test_status_waits_until_succeeded(gx_clova, studio, bucket, dataset):
    task_id = launch(gx_clova, studio, bucket, dataset)
    run = gx_clova("status", task_id, "--wait", "--interval", "0.01")
    assert run.returncode == 0
    assert run.stdout.strip() == f"task {task_id}: SUCCEEDED"
    assert run.stderr.splitlines() == [f"gx-clova: task {task_id}: {s}" for s in ("WAIT", "RUNNING", "SUCCEEDED")]


def test_status_without_wait_reads_once(gx_clova, studio, bucket, dataset):
    task_id = launch(gx_clova, studio, bucket, dataset)
    run = gx_clova("status", task_id, "--format", "json")
    assert run.returncode == 0 and json.loads(run.stdout)["status"] == "WAIT"


@pytest.mark.parametrize(
    ("reason", "message", "codes", "retryable"),
    [
        ("file.extension", "Unsupported extension", ["file.extension"], False),
        ("file.size", "File too large", ["file.size"], False),
        ("file.encoding", "Unsupported charset", ["file.encoding"], False),
        ("file.format", "Invalid json format", ["file.format"], False),
        ("file.format", "Invalid dataset: required field empty. Text", ["text.empty"], False),
        ("file.format", "Invalid dataset: required field empty. Completion", ["completion.empty"], False),
        ("file.format", "unexpected column", ["header.unexpected-column"], False),
        ("file.format", "duplicate columns", ["header.duplicate-column"], False),
        ("file.format", "column order", ["header.column-order"], False),
        ("file.format", "Invalid dataset: C_ID", ["c_id.sequence"], False),
        ("file.format", "Invalid dataset: T_ID", ["t_id.sequence"], False),
        ("file.noexist", "The dataset file does not exist", [], False),
        ("resource.timeout", "timeout", [], True),
        ("train.unknown", "", [], False),
    ],
)
def test_a_failed_task_points_at_the_local_rule(gx_clova, studio, bucket, dataset, reason, message, codes, retryable):
    task_id = launch(gx_clova, studio, bucket, dataset, ("FAILED", reason, message))
    run = gx_clova("status", task_id, "--wait", "--interval", "0.01", "--format", "json")
    assert run.returncode == 1
    failure = json.loads(run.stdout)["failure"]
    assert (failure["reason"], failure["message"], failure["local_codes"], failure["retryable"]) == (
        reason, message, codes, retryable)
    text = gx_clova("status", task_id)
    assert text.returncode == 1 and f"failureReason: {reason}" in text.stdout
    for code in codes:
        assert f"gx-clova checks this before upload as {code} (" in text.stdout


def test_a_dataset_clova_studio_cannot_read_fails_with_file_noexist(gx_clova, storage, studio, bucket, dataset):
    storage.proxy.add_fault(lambda r: studio.user_agent in r.headers.get("user-agent", ""),
                            status=403, code="AccessDenied", times=-1)
    task_id = launch(gx_clova, studio, bucket, dataset)
    run = gx_clova("status", task_id, "--wait", "--interval", "0.01")
    assert run.returncode == 1 and "failureReason: file.noexist" in run.stdout
    assert "check that the access key may read the bucket" in run.stdout


def test_status_wait_gives_up_after_the_timeout(gx_clova, studio, bucket, dataset):
    task_id = launch(gx_clova, studio, bucket, dataset)
    run = gx_clova("status", task_id, "--wait", "--interval", "0.05", "--timeout", "0.01")
    assert run.returncode == 3
    assert f"task {task_id} is still WAIT after 0.01 s" in run.stderr


def test_status_of_an_unknown_task(gx_clova, studio):
    run = gx_clova("status", "t-unknown")
    assert run.returncode == 2
    assert "CLOVA Studio found no task t-unknown (40400 Not found)" in run.stderr


def test_ledger_is_private(gx_clova, studio, bucket, dataset, tmp_path):
    launch(gx_clova, studio, bucket, dataset)
    assert (Ledger().path.stat().st_mode & 0o777) == 0o600
    assert Ledger().path == tmp_path / "state" / "submissions.json"


def test_a_hostile_file_name_is_data_in_every_submit_message(gx_clova, storage, studio, bucket, tmp_path,
                                                             make_dataset):
    """Issue 9: a name cannot start a GitHub workflow command or a terminal escape sequence."""
    name = "x\n::error file=evil.py,line=1::INJECTED \x1b[31mred.csv"
    for path, code in ((make_dataset(tmp_path / name), 0), (make_dataset(tmp_path / ("b" + name), broken_rows=(3,)), 1)):
        run = gx_clova("submit", path, *ARGS, "--bucket", bucket, "--dry-run")
        assert run.returncode == code, run.stderr
        for line in (run.stdout + run.stderr).splitlines():
            assert not line.startswith("::") and "\x1b" not in line, line
        assert "INJECTED" in run.stdout + run.stderr or code == 1  # the refusal does not name the file
