from pathlib import Path

from orchestration.defs.dbt.partial_parse import FILE, hand_back


def test_the_next_invocation_starts_from_the_last_ones_parse(tmp_path: Path) -> None:
    project, invocation = tmp_path / "target", tmp_path / "target" / "run-1"
    invocation.mkdir(parents=True)
    (project / FILE).write_bytes(b"prepared for another warehouse path")
    (invocation / FILE).write_bytes(b"fresh")
    hand_back(invocation, project)
    assert (project / FILE).read_bytes() == b"fresh"
    assert sorted(path.name for path in project.iterdir()) == [FILE, "run-1"]


def test_an_invocation_that_left_no_parse_changes_nothing(tmp_path: Path) -> None:
    (tmp_path / FILE).write_bytes(b"prepared")
    (tmp_path / "run-1").mkdir()
    hand_back(tmp_path / "run-1", tmp_path)
    assert (tmp_path / FILE).read_bytes() == b"prepared"
