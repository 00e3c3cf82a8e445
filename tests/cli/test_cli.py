"""What every command shares: help in two languages, exit 2 for bad input with a message and no
traceback, keys never taken from the command line, no Django, the installed script, colour."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.cli.conftest import ROOT, SCRIPT, paydoctor

KEY = "8934e7d15453e97507ef794cf7b0519d"


def test_help_is_chinese_by_default():
    run = paydoctor("--help")
    assert run.code == 0
    assert "用法：paydoctor" in run.out
    assert "诊断报错" in run.out
    assert "Exit codes" not in run.out


@pytest.mark.parametrize("how", ["lang_env", "option"])
def test_help_is_english_with_an_english_locale_or_lang_en(how):
    run = (
        paydoctor("v2", "sign", "--help", lang="en_US.UTF-8")
        if how == "lang_env"
        else paydoctor("v2", "sign", "--help", "--lang", "en")
    )
    assert run.code == 0
    assert run.out.startswith("usage: paydoctor v2 sign")
    assert "File holding the merchant API key" in run.out
    assert "商户 API 密钥所在的文件" not in run.out


def test_every_command_has_help_in_both_languages():
    commands = [
        ("v2", "sign"),
        ("v3", "sign"),
        ("v3", "authorization"),
        ("v3", "verify"),
        ("v3", "decrypt"),
        ("v3", "pay-sign"),
        ("baidu", "sign"),
        ("baidu", "verify"),
        ("keyring",),
        ("diagnose",),
        ("inspect",),
    ]
    for command in commands:
        chinese = paydoctor(*command, "--help")
        english = paydoctor(*command, "--help", "--lang", "en")
        assert chinese.code == english.code == 0
        assert "用法：" in chinese.out and "usage: " in english.out
        assert "选项" in chinese.out and "Options" in english.out


def test_the_installed_console_script_runs(tmp_path):
    assert SCRIPT.exists(), "pip install -e . creates the paydoctor script"
    run = paydoctor("--version", script=True)
    assert run.code == 0
    assert run.out.startswith("paydoctor ")


@pytest.mark.parametrize(
    "args",
    [
        ["--key", KEY],
        [f"--key={KEY}"],
        ["--apiv3-key", KEY],
        ["--private-key", KEY],
    ],
)
def test_an_option_that_would_take_a_key_is_refused_without_repeating_it(tmp_path, args):
    request = tmp_path / "r.txt"
    request.write_text("a=1\n")
    run = paydoctor("v2", "sign", request, *args)
    assert run.code == 2
    assert "--key-file" in run.err
    assert not run.shows(KEY)


def test_a_key_typed_as_a_stray_argument_is_not_repeated(tmp_path):
    request = tmp_path / "r.txt"
    request.write_text("a=1\n")
    run = paydoctor("v2", "sign", request, KEY)
    assert run.code == 2
    assert run.err.strip()
    assert not run.shows(KEY)


def test_a_key_given_as_if_it_were_the_key_file_is_not_repeated(tmp_path):
    request = tmp_path / "r.txt"
    request.write_text("a=1\n")
    run = paydoctor("v2", "sign", request, "--key-file", KEY)
    assert run.code == 2
    assert not run.shows(KEY)


def test_without_a_terminal_a_missing_key_is_a_clear_error_not_a_hang(tmp_path):
    request = tmp_path / "r.txt"
    request.write_text("a=1\n")
    run = paydoctor("v2", "sign", request)
    assert run.code == 2
    assert "--key-file" in run.err
    english = paydoctor("v2", "sign", request, lang="en_US.UTF-8")
    assert "--key-file FILE" in english.err and "needed" in english.err


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["v2", "sign"], "REQUEST"),  # argparse: a missing argument
        (["v2", "sign", "/nonexistent/request.xml", "--key-file", "/dev/null"], "/nonexistent"),
        (["v2", "sign", "-", "--sign-type", "SHA1"], "MD5"),  # argparse: an invalid choice
        (["v3", "verify", "--public-key-file", "-", "--body-file", "/dev/null"], ""),
        (["nonsense"], "v2"),  # the commands there are; the word given is not repeated
    ],
)
def test_bad_input_exits_2_with_a_message_and_no_traceback(args, said):
    run = paydoctor(*args, stdin="not a key")
    assert run.code == 2
    assert "错误" in run.err
    assert said in run.err


def test_input_the_engine_cannot_read_exits_2_with_its_message(tmp_path):
    request = tmp_path / "r.xml"
    request.write_text('<!DOCTYPE x [<!ENTITY a "b">]><xml><a>&a;</a></xml>')
    key = tmp_path / "key.txt"
    key.write_text(KEY)
    run = paydoctor("v2", "sign", request, "--key-file", key)
    assert run.code == 2
    assert run.err.startswith("paydoctor: 错误：")
    as_json = paydoctor("v2", "sign", request, "--key-file", key, "--json")
    assert as_json.code == 2
    assert as_json.json["error"]["message"]


def test_an_oversized_input_is_refused_before_it_is_read_whole(tmp_path):
    request = tmp_path / "big.txt"
    request.write_text("a=" + "1" * (300 * 1024))
    run = paydoctor("v2", "sign", request, "--key-file", "/dev/null")
    assert run.code == 2
    assert "KiB" in run.err


@pytest.fixture
def request_and_key(write):
    return write("r.txt", "appid=wx1\nmch_id=1\n"), write("key.txt", KEY)


def test_a_command_runs_in_process_without_importing_django(request_and_key):
    request, key = request_and_key
    check = (
        "import sys\n"
        "from diagnostics.cli.main import main\n"
        f"code = main(['v2', 'sign', {str(request)!r}, '--key-file', {str(key)!r}, '--json'])\n"
        "main(['diagnose', '系统繁忙', '--json'])\n"
        "main(['inspect', {0!r}, '--json'])\n"
        "assert 'django' not in sys.modules, sorted(m for m in sys.modules if 'django' in m)\n"
        "print('NO DJANGO', code)\n"
    ).replace("{0!r}", repr(str(request)))
    done = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert "NO DJANGO 0" in done.stdout


def test_output_is_not_coloured_without_a_terminal(request_and_key):
    request, key = request_and_key
    run = paydoctor("v2", "sign", request, "--key-file", key, "--expected", "X")
    assert run.code == 1
    assert "\033[" not in run.out


def test_the_clis_size_limits_are_the_engines():
    from diagnostics.cli import inputs
    from diagnostics.core.keys import MAX_KEY_CHARS
    from diagnostics.core.params import MAX_INPUT_CHARS

    assert (inputs.MAX_INPUT_CHARS, inputs.MAX_KEY_CHARS) == (MAX_INPUT_CHARS, MAX_KEY_CHARS)


def test_a_reader_that_stops_early_gets_no_traceback():
    # paydoctor … | head -1: the pipe closes while the answer is still being written.
    done = subprocess.run(
        f"{sys.executable} -m diagnostics.cli diagnose 系统繁忙 --limit 10 | head -1",
        shell=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert done.stdout.count("\n") == 1
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr
