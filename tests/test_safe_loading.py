"""Loading a model folder never runs code from it; the supported versions are stated.

sentence-transformers before 6.0 imported a module class named in a local
folder's ``modules.json`` without ``trust_remote_code`` (5.x warned with a
``FutureWarning`` and imported it anyway, see ``import_module_class`` in
``sentence_transformers/util/misc.py``); 6.0 refuses it. factcheck requires
6.0 or later and never passes ``trust_remote_code``. These tests build folders
that would write a marker file if any of their code ran.
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import tomllib
from pathlib import Path

import pytest

from factcheck.embedding import SentenceTransformerEmbedder, default_model_path
from factcheck.errors import ModelError

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.model

_PAYLOAD = """
import pathlib
pathlib.Path({marker!r}).write_text("code from the model folder ran")

import torch


class Evil(torch.nn.Module):
    def forward(self, features):
        return features
"""


def _model_copy(tmp_path: Path) -> Path:
    """The default model's folder, its files linked (not copied) into ``tmp_path``."""
    source = default_model_path()
    folder = tmp_path / "model"
    folder.mkdir()
    for item in source.iterdir():
        if item.is_dir():
            shutil.copytree(item, folder / item.name)
        else:
            (folder / item.name).symlink_to(item)
    return folder


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", text)[:3])


def test_a_custom_module_in_modules_json_is_never_imported(tmp_path: Path) -> None:
    folder = _model_copy(tmp_path)
    marker = tmp_path / "marker"
    (folder / "evil_module.py").write_text(_PAYLOAD.format(marker=str(marker)))
    (folder / "2_Evil").mkdir()
    modules = json.loads((folder / "modules.json").read_text())
    (folder / "modules.json").unlink()
    modules.append({"idx": 3, "name": "3", "path": "2_Evil", "type": "evil_module.Evil"})
    (folder / "modules.json").write_text(json.dumps(modules))
    embedder = SentenceTransformerEmbedder(model=str(folder))
    with pytest.raises(ModelError, match=r"evil_module\.Evil.*not part of Sentence Transformers"):
        embedder.embed(["Iran fired missiles."])
    assert not marker.exists()


def test_custom_modeling_code_in_config_json_is_never_imported(tmp_path: Path) -> None:
    folder = _model_copy(tmp_path)
    marker = tmp_path / "marker"
    (folder / "modeling_evil.py").write_text(_PAYLOAD.format(marker=str(marker)))
    config = json.loads((folder / "config.json").read_text())
    (folder / "config.json").unlink()
    config["auto_map"] = {"AutoModel": "modeling_evil.Evil", "AutoConfig": "modeling_evil.Evil"}
    (folder / "config.json").write_text(json.dumps(config))
    embedder = SentenceTransformerEmbedder(model=str(folder))
    with contextlib.suppress(ModelError):  # refused or ignored: what matters is that nothing ran
        embedder.embed(["Iran fired missiles."])
    assert not marker.exists()


def test_a_config_cannot_switch_trust_remote_code_on(tmp_path: Path) -> None:
    folder = _model_copy(tmp_path)
    marker = tmp_path / "marker"
    (folder / "modeling_evil.py").write_text(_PAYLOAD.format(marker=str(marker)))
    config = json.loads((folder / "config.json").read_text())
    (folder / "config.json").unlink()
    config["auto_map"] = {"AutoModel": "modeling_evil.Evil"}
    (folder / "config.json").write_text(json.dumps(config))
    bert = json.loads((folder / "sentence_bert_config.json").read_text())
    (folder / "sentence_bert_config.json").unlink()
    bert["model_args"] = {"trust_remote_code": True}
    bert["config_args"] = {"trust_remote_code": True}
    (folder / "sentence_bert_config.json").write_text(json.dumps(bert))
    with contextlib.suppress(ModelError):
        SentenceTransformerEmbedder(model=str(folder)).embed(["Iran fired missiles."])
    assert not marker.exists()


def test_the_installed_and_required_versions_refuse_custom_code() -> None:
    import sentence_transformers
    import torch

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = {
        re.split(r"[<>=!~ ;\[]", dep, maxsplit=1)[0].lower(): dep for dep in project["dependencies"]
    }
    floor = re.search(r">=\s*([\d.]+)", pins["sentence-transformers"])
    assert floor is not None
    assert _version(floor.group(1)) >= (6, 0)
    assert _version(sentence_transformers.__version__) >= (6, 0)
    torch_pin = pins["torch"]
    low = re.search(r">=\s*([\d.]+)", torch_pin)
    high = re.search(r"<\s*([\d.]+)", torch_pin)
    assert low is not None
    assert high is not None
    assert _version(low.group(1)) <= _version(torch.__version__) < _version(high.group(1))
    assert _version(low.group(1)) <= (2, 13, 0) < _version(high.group(1))
