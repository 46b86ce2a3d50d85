import plistlib

from cli_runner import run_cli


def test_pipelines_lists_stages_and_parameters(toy_env):
    r = run_cli("pipelines", env=toy_env)
    assert r.returncode == 0, r.stderr
    assert "toy 1" in r.stdout and "make → flaky → total" in r.stdout
    assert "--param n_rows=<int> (default 50)" in r.stdout


def test_schedule_writes_launchd_plist_and_cron_line(tmp_path, toy_env):
    ws = tmp_path / "ws"
    r = run_cli("schedule", "toy", "--workspace", str(ws), "--every", "daily", "--at", "03:15",
                "--param", "n_rows=5", env=toy_env)
    assert r.returncode == 0, r.stderr
    plist = plistlib.loads((ws / "schedule" / "local.workbench.toy.plist").read_bytes())
    argv = plist["ProgramArguments"]
    assert argv[1:4] == ["run", "toy", "--workspace"] and "--quiet" in argv
    assert argv[argv.index("--param") + 1] == "n_rows=5"
    assert plist["StartCalendarInterval"] == {"Hour": 3, "Minute": 15}
    assert plist["StandardOutPath"].endswith("logs/toy.log")
    cron = (ws / "schedule" / "workbench-toy.cron").read_text()
    assert cron.startswith("15 3 * * * ") and ">> " in cron and "logs/toy.log 2>&1" in cron
    r = run_cli("schedule", "nosuch", "--workspace", str(ws), env=toy_env)
    assert r.returncode == 2 and "nosuch" in r.stderr


def test_scheduled_command_runs_end_to_end(tmp_path, toy_env):
    """The cron line's command, run as cron would (through sh), produces a finished run."""
    import subprocess

    ws = tmp_path / "ws"
    run_cli("schedule", "toy", "--workspace", str(ws), "--format", "cron", env=toy_env)
    line = (ws / "schedule" / "workbench-toy.cron").read_text()
    command = line.split(" ", 5)[5]
    subprocess.run(["sh", "-c", command], env=toy_env, check=True, timeout=300)
    assert "done:" not in (ws / "logs" / "toy.log").read_text()  # --quiet
    r = run_cli("runs", "--workspace", str(ws), env=toy_env)
    assert "done" in r.stdout and "toy-" in r.stdout
    run_id = r.stdout.split()[0]
    r = run_cli("show", run_id, "--workspace", str(ws), env=toy_env)
    assert r.returncode == 0 and "contract sha256" in r.stdout and "total" in r.stdout
    assert "ledger offline_answer/offline: 1 events" in r.stdout


def test_show_unknown_run_exits_2(tmp_path, toy_env):
    r = run_cli("show", "toy-20000101-deadbeef", "--workspace", str(tmp_path), env=toy_env)
    assert r.returncode == 2 and "toy-20000101-deadbeef" in r.stderr
