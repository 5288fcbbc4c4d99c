"""QR codes drawn as inline SVG (no image file, no script): the invitation card's code."""

from __future__ import annotations

import segno
from markupsafe import Markup


def qr_svg(text: str, *, label: str) -> Markup:
    """``text`` as a QR code in an ``<svg>`` element, medium error correction (a card gets
    folded and carried), sized by the page's CSS; ``label`` is what screen readers say."""
    code = segno.make(text, error="m", micro=False)
    svg = code.svg_inline(
        scale=4, border=4, title=label, svgclass="qr", lineclass="qr-line", omitsize=True
    )
    return Markup(svg.replace("<svg ", '<svg role="img" ', 1))  # noqa: S704 - segno's own markup
