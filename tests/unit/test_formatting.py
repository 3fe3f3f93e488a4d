"""What the web layer does to values before showing them: Markdown made safe, local times."""

from datetime import UTC, datetime

import pytest

from app.formatting import render_markdown
from app.proposals.forms import in_zone_to_utc, utc_to_zone
from decisions.errors import InvalidInput


def test_markdown_is_rendered():
    html = render_markdown("We **agree** to:\n\n- meet\n- report")
    assert "<strong>agree</strong>" in html
    assert "<li>meet</li>" in html


def test_markdown_cannot_carry_script_or_javascript_links():
    html = render_markdown(
        "<script>alert(1)</script>\n\n[click](javascript:alert(1)) <img src=x onerror=alert(1)>"
    )
    assert "<script" not in html
    assert "<img" not in html
    assert 'href="javascript' not in html
    assert "&lt;script&gt;" in html  # shown as text, not run


@pytest.mark.parametrize(
    "source",
    ["https://tracker.example/pixel.png", "//tracker.example/pixel.png", "http://x.example/a"],
)
def test_an_image_from_elsewhere_becomes_a_link(source):
    """A remote image would tell its server who reads the proposal, and when."""
    html = render_markdown(f"See ![the *map*]({source}) here.")
    assert "<img" not in html
    assert f'<a href="{source}"' in html and ">the map</a>" in html


def test_an_image_of_accord_itself_stays_an_image():
    html = render_markdown("![logo](/static/logo.png)")
    assert '<img src="/static/logo.png" alt="logo">' in html


def test_markdown_headings_sit_below_the_page_heading():
    html = render_markdown("# Purpose\n\n## Scope")
    assert "<h3>Purpose</h3>" in html and "<h4>Scope</h4>" in html
    assert "<h1" not in html and "<h2" not in html


def test_deadline_entered_in_the_partnership_zone():
    local = datetime(2026, 12, 1, 17, 0)
    utc = in_zone_to_utc(local, "Asia/Manila")
    assert utc == datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    assert utc_to_zone(utc, "Asia/Manila") == local


def test_a_time_skipped_by_the_clocks_is_refused():
    # New Zealand moves from 02:00 to 03:00 on the last Sunday of September.
    with pytest.raises(InvalidInput) as refusal:
        in_zone_to_utc(datetime(2026, 9, 27, 2, 30), "Pacific/Auckland")
    assert refusal.value.field == "deadline"
    assert in_zone_to_utc(datetime(2026, 9, 27, 3, 30), "Pacific/Auckland") == datetime(
        2026, 9, 26, 14, 30, tzinfo=UTC
    )
