"""`newshub claims extract FILE` and `--dir IN OUT`."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

TEXT = "The mayor said that the bridge will reopen in May.\n\nNothing else happened."
HTML = """<html><head><title>Bridge</title></head><body><nav>Home | News</nav>
<article><h1>Bridge to reopen</h1>
<p>The bridge closed in March after a flood damaged its supports and engineers found cracks in two piers.</p>
<p>“We expect traffic back by May,” said Anna Berg, the city engineer, on Tuesday afternoon.</p>
<p>Residents have waited months for the crossing to return and shops nearby have lost trade.</p>
</article><footer>Contact us</footer></body></html>"""


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("claims", "extract", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_extract_text_file(tmp_path):
    path = tmp_path / "bridge.txt"
    path.write_text(TEXT, encoding="utf-8")
    result = json.loads(run(str(path)))
    assert result["text"] == TEXT
    [claim] = result["claims"]
    assert claim["speaker"] == "mayor" and claim["stance"] == "asserts"
    for key in ("source", "cue", "content"):
        span = claim[key]
        assert TEXT[span["start"] : span["end"]] == span["text"]
    assert claim["content"]["text"] == "that the bridge will reopen in May"


def test_extract_html_offsets_refer_to_printed_text(tmp_path):
    path = tmp_path / "bridge.html"
    path.write_text(HTML, encoding="utf-8")
    result = json.loads(run(str(path)))
    assert "Contact us" not in result["text"]
    [claim] = result["claims"]
    assert claim["speaker"] == "Anna Berg"
    content = claim["content"]
    assert result["text"][content["start"] : content["end"]] == content["text"]
    assert "traffic back by May" in content["text"]


def test_extract_dir(tmp_path):
    source, target = tmp_path / "in", tmp_path / "out"
    source.mkdir()
    (source / "a.txt").write_text(TEXT, encoding="utf-8")
    (source / "b.html").write_text(HTML, encoding="utf-8")
    (source / "empty.txt").write_text("", encoding="utf-8")
    (source / "skip.pdf").write_bytes(b"%PDF")
    run("--dir", str(source), str(target), "--processes", "2")
    assert sorted(path.name for path in target.iterdir()) == ["a.json", "b.json", "empty.json"]
    assert json.loads((target / "empty.json").read_text()) == {"text": "", "claims": []}
    assert json.loads((target / "a.json").read_text())["claims"][0]["speaker"] == "mayor"


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        run(str(tmp_path / "missing.txt"))
