"""The production start command of deploy/Procfile, as the service runs it."""

import json
import subprocess
import sys
import urllib.request

from tests import processes


def test_gunicorn_with_the_deploy_settings_serves_the_health_check(tmp_path):
    env = processes.production_env(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v0"],
        cwd=processes.BASE_DIR,
        env=env,
        check=True,
    )
    port = processes.free_port()
    server = processes.gunicorn(port, env)
    with processes.running(server):
        processes.wait_until_serving(server, port)
        response = urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10)

        assert response.status == 200
        server.terminate()
        server.wait(timeout=15)
        access_lines = [
            json.loads(line) for line in server.output().splitlines() if '"gunicorn.access"' in line
        ]
    assert {"path": "/healthz", "status": 200}.items() <= access_lines[-1].items()
