"""No secret in anything a submit run leaves behind: stdout, stderr, logs, files, ledger."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest

from gx_clova import redact

HERE = Path(__file__).resolve().parent
WRONG_S3_SECRET = "wrongS3Secret+Ab/Cd=Ef0123"
WRONG_API_KEY = "nv-WRONGAPIKEY0987zyx"


def scan(text: str, secrets, where: str) -> None:
    for secret in secrets:
        for spelling in {secret, quote(secret, safe=""), json.dumps(secret)[1:-1]}:
            assert spelling not in text, f"a secret ({secret[:3]}…) appears in {where}"


@pytest.mark.slow
def test_a_full_submit_run_leaks_no_secret(storage, studio, bucket, big_dataset, tmp_path, secrets):
    access_key, secret_key = secrets[:2]
    secrets = (*secrets, WRONG_S3_SECRET, WRONG_API_KEY)
    with pytest.raises(AssertionError):  # the scanner itself finds a leak, in any spelling
        scan(f"x={quote(secret_key, safe='')}", secrets, "self-check")
    common = ("--name", "faq", "--model", "HCX-003", "--bucket", bucket, "--part-size", "5", "--verbose")

    def gx_clova(*argv, env=None):
        result = subprocess.run([sys.executable, str(HERE / "run_cli.py"), *map(str, argv)],
                                capture_output=True, text=True, timeout=120, env={**os.environ, **(env or {})})
        scan(result.stdout, secrets, f"stdout of {argv[:2]}")
        scan(result.stderr, secrets, f"stderr of {argv[:2]}")
        assert "Traceback" not in result.stderr
        return result

    dry = gx_clova("submit", big_dataset, *common, "--dry-run")
    assert dry.returncode == 0 and '"trainingDatasetSecretKey": "***"' in dry.stdout

    storage.proxy.add_fault(lambda r: r.has("partNumber", "2"), action="drop")
    studio.next_outcome = ("FAILED", "file.format", "Invalid dataset: C_ID")
    first = gx_clova("submit", big_dataset, *common, "--format", "json")
    assert first.returncode == 0, first.stderr
    assert "retry 1 of 4" in first.stderr and "INFO gx_clova.submitter.upload: uploaded part 3 of 3" in first.stderr
    task_id = json.loads(first.stdout)["task_id"]

    again = gx_clova("submit", big_dataset, *common)
    assert again.returncode == 0 and "already exists" in again.stdout

    status = gx_clova("status", task_id, "--wait", "--interval", "0.01", "--verbose", "--format", "json")
    assert status.returncode == 1 and json.loads(status.stdout)["failure"]["local_codes"] == ["c_id.sequence"]

    apigw = gx_clova("submit", big_dataset, *common, "--auth", "apigw", "--force")
    assert apigw.returncode == 0, apigw.stderr

    bad_s3 = gx_clova("submit", big_dataset, *common, "--force", env={"NCP_SECRET_KEY": WRONG_S3_SECRET})
    assert bad_s3.returncode == 3 and "access denied" in bad_s3.stderr

    bad_api = gx_clova("submit", big_dataset, *common, "--force", env={"CLOVASTUDIO_API_KEY": WRONG_API_KEY})
    assert bad_api.returncode == 3 and "refused the credentials" in bad_api.stderr

    # The secrets did travel where they must: to CLOVA Studio, in the create body.
    bodies = [task.body for task in studio.tasks.values()]
    assert {(b["trainingDatasetAccessKey"], b["trainingDatasetSecretKey"]) for b in bodies} == {(access_key, secret_key)}

    written = [path for path in tmp_path.rglob("*") if path.is_file() and path != big_dataset]
    assert any(path.name == "submissions.json" for path in written)
    for path in written:
        scan(path.read_text(errors="replace"), secrets, str(path))


def test_redact_masks_by_value_and_by_field():
    redact.register("value-secret-123")
    assert redact.redact("x value-secret-123 y") == "x *** y"
    assert redact.redact({"trainingDatasetAccessKey": "AK", "nested": ["value-secret-123"],
                          "X-NCP-APIGW-SIGNATURE-V2": "sig", "keep": 1}) == {
        "trainingDatasetAccessKey": "***", "nested": ["***"], "X-NCP-APIGW-SIGNATURE-V2": "***", "keep": 1}
    assert redact.redact({"authorization": "Bearer nv-abc"}) == {"authorization": "Bearer ***"}
    assert redact.redact(json.dumps({"k": "value-secret-123"})) == '{"k": "***"}'


def test_short_values_are_not_registered():
    redact.register("abc")
    assert redact.redact("abcdef") == "abcdef"


def test_log_records_are_redacted_even_in_tracebacks():
    import logging

    redact.register("trace-secret-456")
    handler = logging.StreamHandler()
    handler.setFormatter(redact.RedactingFormatter("%(message)s"))
    try:
        raise ValueError("boom trace-secret-456")
    except ValueError:
        record = logging.LogRecord("gx_clova", logging.ERROR, __file__, 1, "failed with %s", ("trace-secret-456",),
                                   sys.exc_info())
    text = handler.format(record)
    assert "trace-secret-456" not in text
    assert text.startswith("failed with ***\n") and text.endswith("ValueError: boom ***")

