import pytest

from tests.webhooks import receiver as receiver_module


@pytest.fixture
def receiver(settings):
    """A receiver started on a free port of this machine (plain HTTP to 127.0.0.1)."""
    settings.WEBHOOKS_ALLOW_HTTP = True
    receiver, server = receiver_module.start()
    yield receiver
    server.shutdown()
    server.server_close()
