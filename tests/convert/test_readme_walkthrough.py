"""The README's chat walkthrough, command by command, with the exit statuses and facts it states."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil

from cli_inprocess import run_cli

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SECRETS = ("CLOVASTUDIO_API_KEY", "NCP_ACCESS_KEY", "NCP_SECRET_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
           "AWS_SESSION_TOKEN", "AWS_PROFILE", "NCP_IAM_ACCESS_KEY", "NCP_IAM_SECRET_KEY", "CLOVASTUDIO_API_URL")


def test_readme_chat_walkthrough_runs_with_the_exit_statuses_it_states(tmp_path, monkeypatch):
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as handle:
        readme = handle.read()
    block = readme.split("<!-- chat-walkthrough", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    steps = [re.match(r"\.venv/bin/gx-clova (.+?)\s+# exit (\d)", line) for line in block.strip().splitlines()]
    assert [s.group(1).split()[0] for s in steps if s] == ["convert", "validate", "tokens", "submit"], block
    (tmp_path / "examples").mkdir()
    shutil.copy(os.path.join(ROOT, "examples", "openai-chat.jsonl"), tmp_path / "examples")
    for name in SECRETS:
        monkeypatch.delenv(name, raising=False)
    for name, value in dict(XDG_CACHE_HOME=str(tmp_path / "cache"), GX_CLOVA_STATE_DIR=str(tmp_path / "state"),
                            AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "none"), AWS_CONFIG_FILE=str(tmp_path / "none"),
                            HOME=str(tmp_path)).items():
        monkeypatch.setenv(name, value)
    outputs = []
    for step in steps:
        args, status = shlex.split(step.group(1)), int(step.group(2))
        result = run_cli(*args, cwd=str(tmp_path))
        assert result.returncode == status, (args, result.stdout, result.stderr)
        outputs.append(result.stdout)
    # what the README says about the example
    assert "120 converted into 120 conversation(s) / 150 row(s), 2 rejected" in outputs[0]
    rejected = [json.loads(line) for line in (tmp_path / "out" / "chat.rejects.jsonl").read_text("utf-8").splitlines()]
    assert [(r["line"], r["code"]) for r in rejected] == [(41, "convert.tool-call"), (91, "convert.not-alternating")]
    assert "ESTIMATE" in outputs[2] and "every row fits the window" in outputs[2]
    assert '"validationSplitRatio": 0.1' in outputs[3] and '"loraR": 8' in outputs[3]
    assert "nothing was uploaded and no task was created" in outputs[3]
