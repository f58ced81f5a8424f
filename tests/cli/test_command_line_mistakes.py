"""A mistyped command line reads like every other refusal: one "kneecoach: error:" line, the
usage above it and where help is below it, exit 2, never "internal error"."""

from __future__ import annotations


def test_a_value_of_the_wrong_kind_is_refused_as_bad_input(kc):
    result = kc("log", "--pain", "abc")
    assert result.code == 2
    lines = result.err.splitlines()
    assert lines[0].startswith("Usage: kneecoach log")
    assert lines[1] == "kneecoach: error: Invalid value for '--pain': 'abc' is not a valid int."
    assert lines[2] == "Try 'kneecoach log -h' for help."


def test_an_unknown_command_is_refused_by_name(kc):
    result = kc("todya")
    assert result.code == 2
    assert "kneecoach: error: No such command 'todya'." in result.err
    assert "internal error" not in result.err


def test_a_missing_argument_is_named(kc):
    result = kc("runs", "import")
    assert result.code == 2
    assert "kneecoach: error: Missing argument" in result.err
    assert "Try 'kneecoach runs import -h' for help." in result.err


def test_a_bare_command_shows_its_help_and_no_error(kc):
    result = kc()
    assert result.code == 2
    assert result.err.startswith("Usage: kneecoach [OPTIONS] COMMAND")
    assert "error" not in result.err.lower().split("commands:")[0]


def test_help_and_a_good_command_still_exit_0(kc):
    assert kc("-h").code == 0
    assert kc("exercises", "--json").code == 0


def test_a_session_file_nested_too_deeply_is_bad_input_not_an_internal_error(kc, tmp_path):
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 5000 + "]" * 5000)
    result = kc("import", "backup", str(deep))
    assert result.code == 2
    assert "nested too deeply" in result.err and "internal error" not in result.err
