"""`clausewise setup`: builds the ONNX model offline, idempotent, and `--check` catches damage."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from service.cli import main
from service.errors import ModelMissing
from service.index.embeddings import Embedder
from service.index.model_setup import check_model, prepare_model


def test_rerunning_setup_is_a_noop(model_dir: Path) -> None:
    before = (model_dir / "model.onnx").stat().st_mtime_ns
    status = prepare_model(model_dir)
    assert not status.built
    assert status.min_cosine > 0.9999
    assert (model_dir / "model.onnx").stat().st_mtime_ns == before


def test_check_passes_on_a_prepared_model(model_dir: Path) -> None:
    assert check_model(model_dir).min_cosine > 0.9999


def test_check_fails_on_a_truncated_model(model_dir: Path, tmp_path: Path) -> None:
    broken = tmp_path / "m"
    shutil.copytree(model_dir, broken)
    with (broken / "model.onnx").open("r+b") as fh:
        fh.truncate(1000)
    with pytest.raises(ModelMissing, match="clausewise setup"):
        check_model(broken)


@pytest.mark.slow
def test_setup_repairs_a_damaged_model(model_dir: Path, tmp_path: Path) -> None:
    broken = tmp_path / "m"
    shutil.copytree(model_dir, broken)
    (broken / "vocab.txt").write_text("[PAD]\n", "utf-8")
    assert prepare_model(broken).built
    assert check_model(broken).min_cosine > 0.9999
    assert not list(tmp_path.glob(".m.*-*"))  # no temp or old dirs left behind


def test_embedder_without_model_says_to_run_setup(tmp_path: Path) -> None:
    with pytest.raises(ModelMissing, match="clausewise setup"):
        Embedder(tmp_path / "nothing-here")


def test_cli_setup_check_exits_nonzero_when_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("CLAUSEWISE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("CLAUSEWISE_EMBEDDING_MODEL_DIR", raising=False)
    assert main(["setup", "--check"]) == 1
    assert "clausewise setup" in capsys.readouterr().err


def test_cli_setup_reports_existing_model(model_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("CLAUSEWISE_EMBEDDING_MODEL_DIR", str(model_dir))
    assert main(["setup"]) == 0
    out = capsys.readouterr().out
    assert "already present" in out and str(model_dir) in out
    assert main(["setup", "--check"]) == 0
