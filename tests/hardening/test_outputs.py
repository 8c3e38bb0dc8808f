"""Finding 1: an output path that is an input (or another output) is refused before any write;
every write error names the path the user gave (never the temporary file)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hostile import one_sentence, run_cli, write_csv


@pytest.fixture
def inv(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "inv.csv")


@pytest.mark.parametrize("option", ["--xlsx", "--pdf", "--json", "--docx"])
def test_output_equal_to_the_input_is_refused_and_the_input_kept(inv: Path, option: str) -> None:
    before = inv.read_bytes()
    proc = run_cli(["assess", inv, option, inv, "--no-robustness", "--lang", "en"])
    assert proc.returncode == 2
    line = one_sentence(proc)
    assert "same file as the input" in line and str(inv) in line
    assert inv.read_bytes() == before
    assert sorted(p.name for p in inv.parent.iterdir()) == ["inv.csv"]


def test_symlink_and_hard_link_to_the_input_are_refused(inv: Path, tmp_path: Path) -> None:
    before = inv.read_bytes()
    link = tmp_path / "out.xlsx"
    link.symlink_to(inv)
    hard = tmp_path / "hard.json"
    os.link(inv, hard)
    for option, out in (("--xlsx", link), ("--json", hard)):
        proc = run_cli(["assess", inv, option, out, "--no-robustness"])
        assert proc.returncode == 2, proc.stderr
        assert "同一个文件" in one_sentence(proc)
    assert inv.read_bytes() == before


def test_two_outputs_on_one_path_and_other_inputs(inv: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.out"
    proc = run_cli(["assess", inv, "--json", out, "--xlsx", out, "--lang", "en"])
    assert proc.returncode == 2 and "give each output its own path" in one_sentence(proc)
    risk = tmp_path / "risk.csv"
    risk.write_text("ISO3,rating\nUSA,0.8\n", encoding="utf-8")
    proc = run_cli(["assess", inv, "--country-risk", risk, "--json", risk, "--lang", "en"])
    assert proc.returncode == 2 and "same file as the input" in one_sentence(proc)
    assert risk.read_text(encoding="utf-8") == "ISO3,rating\nUSA,0.8\n"
    proc = run_cli(["assess", inv, "--trade", inv, "--pdf", inv, "--lang", "en"])
    assert proc.returncode == 2
    proc = run_cli(["assess", inv, "--json", tmp_path, "--lang", "en"])
    assert proc.returncode == 2 and "is a folder" in one_sentence(proc)


def test_project_is_an_input_of_assess_and_export(inv: Path, tmp_path: Path) -> None:
    project = tmp_path / "p.rdproj"
    assert run_cli(["assess", inv, "--project", project, "--no-robustness"]).returncode == 0
    before = project.read_bytes()
    proc = run_cli(["assess", inv, "--project", project, "--xlsx", project, "--lang", "en"])
    assert proc.returncode == 2 and "same file as the input" in one_sentence(proc)
    proc = run_cli(["export", project, "--pdf", project, "--lang", "en"])
    assert proc.returncode == 2 and "same file as the input" in one_sentence(proc)
    proc = run_cli(["export", project, "--docx", project, "--lang", "en"])
    assert proc.returncode == 2 and "same file as the input" in one_sentence(proc)
    proc = run_cli(["history", project, "--json", project, "--lang", "en"])
    assert proc.returncode == 2
    assert project.read_bytes() == before


def test_validate_json_and_template_are_checked(inv: Path, tmp_path: Path) -> None:
    proc = run_cli(["validate", inv, "--json", inv, "--lang", "en"])
    assert proc.returncode == 2 and "same file as the input" in one_sentence(proc)
    tax = tmp_path / "tax"
    tax.mkdir()
    target = tax / "taxonomy.xlsx"
    (tax / "taxonomy.toml").symlink_to(target)
    proc = run_cli(["template", target, "--taxonomy", tax, "--lang", "en"])
    assert proc.returncode == 2 and "same file as the input" in one_sentence(proc)


def test_device_as_output_is_refused_not_replaced(inv: Path) -> None:
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    proc = run_cli(["assess", inv, "--json", "/dev/full", "--no-robustness", "--lang", "en"])
    assert proc.returncode == 2
    assert "not a regular file" in one_sentence(proc)
    assert not Path("/dev/full").is_file()  # still the device


def _small_file_limit() -> None:  # in the child: writes past 2 KiB fail with EFBIG
    import resource
    import signal

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (2048, 2048))


def test_write_error_names_the_real_path_not_the_temporary_file(inv: Path,
                                                                  tmp_path: Path) -> None:
    out = tmp_path / "big.xlsx"
    out.write_bytes(b"the previous report")
    proc = run_cli(["assess", inv, "--xlsx", out, "--no-robustness", "--lang", "en"],
                   preexec=_small_file_limit, extra_env={"PYTHONDONTWRITEBYTECODE": "1"})
    assert proc.returncode == 1, proc.stderr
    line = one_sentence(proc)
    assert str(out) in line and ".part" not in line and "cannot write" in line
    assert out.read_bytes() == b"the previous report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.xlsx", "inv.csv"]


def test_unwritable_folder_names_the_output(inv: Path, tmp_path: Path) -> None:
    if os.geteuid() == 0:
        # root ignores permission bits; a file where the folder should be fails the same way
        blocker = tmp_path / "blocker"
        blocker.write_text("x")
        out = blocker / "r.xlsx"
    else:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        out = locked / "r.xlsx"
    proc = run_cli(["assess", inv, "--xlsx", out, "--no-robustness", "--lang", "en"])
    assert proc.returncode == 1
    line = one_sentence(proc)
    assert str(out) in line and ".part" not in line and "cannot write" in line


def test_disk_full_during_atomic_write_names_the_target(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    from riskdesk.io.atomic import atomic_path

    target = tmp_path / "report.pdf"
    target.write_bytes(b"old")
    def fill_the_disk() -> None:
        with atomic_path(target) as tmp:
            tmp.write_bytes(b"partial")
            raise OSError(errno.ENOSPC, "No space left on device", str(tmp))

    with pytest.raises(OSError, match="No space left") as info:
        fill_the_disk()
    assert info.value.filename == str(target)
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.pdf"]
