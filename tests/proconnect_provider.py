"""
A real OpenID Connect provider in ProConnect's place: the certified `oidc-provider` npm
package, run by Node.js from tests/oidc_provider/server.js (its `npm ci` is run here when
node_modules is missing; CI runs `npm ci --prefix tests/oidc_provider`).

`running_provider(redirect_base)` starts it on a free port for the application served at
`redirect_base` (the test client's http://testserver, or the live server); its accounts
and misbehaviours are set by the test (`provider.accounts(...)`, `provider.misbehave(...)`).
`browse_to_callback(...)` plays a browser's part at the provider, over real HTTP.
"""

import json
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import requests

from tests.processes import BASE_DIR, Process, free_port

PROVIDER_DIR = BASE_DIR / "tests" / "oidc_provider"
CLIENT_ID = "bpp-test"  # as server.js registers it
CLIENT_SECRET = "bpp-test-secret"
PASSWORD = "mot-de-passe-chez-proconnect"


@dataclass
class Provider:
    issuer: str
    state_file: Path

    def write(self, **state) -> None:
        current = json.loads(self.state_file.read_text())
        self.state_file.write_text(json.dumps(current | state))

    def accounts(self, *accounts: dict) -> None:
        """The provider's people: dicts with sub and email, and optionally acr, amr."""
        self.write(accounts=[{"password": PASSWORD} | account for account in accounts])

    def misbehave(self, how: str | None) -> None:
        """None, "signature" (ID tokens altered after signing), "nonce" or "audience"
        (validly signed for another nonce, or for another client)."""
        self.write(misbehave=how)

    def settings(self) -> dict[str, str]:
        return {
            "PROCONNECT_ISSUER": self.issuer,
            "PROCONNECT_CLIENT_ID": CLIENT_ID,
            "PROCONNECT_CLIENT_SECRET": CLIENT_SECRET,
        }


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is missing (apt-get install nodejs npm): no OpenID Connect provider")
    if not (PROVIDER_DIR / "node_modules" / "oidc-provider").exists():
        subprocess.run(
            [shutil.which("npm") or "npm", "ci", "--no-audit", "--no-fund"],
            cwd=PROVIDER_DIR,
            check=True,
            capture_output=True,
        )
    return node


@contextmanager
def running_provider(redirect_base: str) -> Iterator[Provider]:
    node = _node()
    port = free_port()
    with tempfile.TemporaryDirectory() as folder:
        state_file = Path(folder) / "state.json"
        state_file.write_text(json.dumps({"accounts": [], "misbehave": None}))
        env = {
            "PATH": "/usr/bin:/bin",
            "PORT": str(port),
            "REDIRECT_BASE": redirect_base.rstrip("/"),
            "STATE_FILE": str(state_file),
        }
        process = Process([node, str(PROVIDER_DIR / "server.js")], env)
        try:
            deadline = time.monotonic() + 30
            while "ready " not in process.output():
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"the OpenID Connect provider did not start:\n{process.output()}"
                    )
                time.sleep(0.05)
            yield Provider(issuer=f"http://127.0.0.1:{port}", state_file=state_file)
        finally:
            process.terminate()
            process.wait(timeout=10)
            process.log.close()


def browse_to_callback(
    browser: requests.Session, url: str, *, email: str, password: str = PASSWORD
) -> str:
    """Follow `url` (the authorization request) at the provider as a browser would, sign
    in on its login page if it shows it, and return the address it sends back to the
    application (the callback with its code and state)."""
    provider = urlsplit(url).netloc
    while urlsplit(url).netloc == provider:
        response = browser.get(url, allow_redirects=False)
        if response.status_code == 200 and 'name="email"' in response.text:
            action = response.text.split('action="', 1)[1].split('"', 1)[0]
            response = browser.post(
                urljoin(url, action),
                data={"email": email, "password": password},
                allow_redirects=False,
            )
        assert response.status_code in (302, 303), (response.status_code, response.text[:500])
        url = urljoin(url, response.headers["Location"])
    return url
