"""The web tests' fixtures (an app on a fresh database of each backend, signed-in callers)."""

from tests.web.conftest import app, client, sign_in  # noqa: F401 - shared fixtures
