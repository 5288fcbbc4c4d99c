"""The GTFS-Flex feed over HTTP and from the command line."""

from __future__ import annotations

import io
import zipfile

from web.commands import main


def test_feed_is_served_and_exported(app, tmp_path) -> None:
    """GET /gtfs-flex.zip answers a zip; ``rural-cars export gtfs-flex`` writes the same files."""
    response = app.test_client().get("/gtfs-flex.zip")
    assert response.mimetype == "application/zip"
    out = tmp_path / "feed.zip"
    result = app.test_cli_runner().invoke(main, ["export", "gtfs-flex", "--out", str(out)])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as archive, zipfile.ZipFile(io.BytesIO(response.data)) as served:
        assert archive.namelist() == served.namelist()
