"""HTML → PDF with WeasyPrint (it needs Pango; ``scripts/system-deps.sh`` installs it on Debian)."""

from __future__ import annotations

from pathlib import Path


class PdfUnavailable(Exception):
    """WeasyPrint or the system libraries it needs are missing: PDF cannot be made, other formats can."""


def to_pdf(html: str, base: Path) -> bytes:
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # OSError: Pango missing, raised while weasyprint loads it
        raise PdfUnavailable(
            "PDF output needs WeasyPrint and Pango (run scripts/system-deps.sh, or install "
            f"libpango-1.0-0 libpangoft2-1.0-0): {str(exc).splitlines()[0] if str(exc) else exc}"
        ) from exc
    return HTML(string=html, base_url=str(base)).write_pdf()  # type: ignore[no-any-return]
