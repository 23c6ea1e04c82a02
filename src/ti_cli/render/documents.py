"""``write_document``: one Jinja Markdown template, written in every format asked for.

The template renders Markdown (the ``md`` output); HTML is that Markdown converted and wrapped in
``base.html.j2`` with the print CSS inlined (a standalone page); PDF is the same Markdown as Typst
markup after the preamble ``document.typ``, compiled by the ``typst`` wheel; DOCX is built from the
same Markdown with real Word tables. PDF comes last, so that when it cannot be made the other formats
are already written.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ti_cli.i18n import _

if TYPE_CHECKING:
    from ti_cli.render.charts import Figures

FORMATS = ("md", "html", "docx", "pdf")
STYLESHEET = "document.css"
PREAMBLE = "document.typ"


class DocumentError(Exception):
    """A document could not be written (unknown format, missing template, PDF engine missing)."""


def stem(template: str) -> str:
    """``contract.md.j2`` → ``contract``."""
    name = Path(template).name
    for suffix in (".j2", ".md"):
        name = name.removesuffix(suffix)
    return name


def targets(template: str, formats: list[str], output: Path, name: str | None = None) -> dict[str, Path]:
    """Where each format goes. ``output`` is a folder (files named ``name`` or after the template), or
    a file whose extension is a format (``report.pdf``): then every format asked is written beside it
    under the same name (``report.pdf``, ``report.docx``)."""
    wanted = list(dict.fromkeys(formats)) or ["md"]
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown:
        raise DocumentError(
            _("unknown format '{format}': choose one of: {choices}").format(
                format=unknown[0], choices=", ".join(FORMATS)
            )
        )
    suffix = output.suffix.lower().lstrip(".")
    if suffix in FORMATS and not output.is_dir():
        if len(wanted) == 1 and wanted[0] != suffix:
            raise DocumentError(
                _("--output {output} is a .{suffix} file but --to asks for {wanted}").format(
                    output=output, suffix=suffix, wanted=wanted[0]
                )
            )
        return {fmt: output.with_suffix(f".{fmt}") for fmt in wanted}
    if output.exists() and not output.is_dir():  # a data file, say: never taken for a folder to write in
        raise DocumentError(
            _(
                "--output {output} is a file, not a folder, and its extension is not a document's "
                "({formats}): nothing was written"
            ).format(output=output, formats=", ".join(FORMATS))
        )
    base = name or stem(template)
    return {fmt: output / f"{base}.{fmt}" for fmt in wanted}


def render_markdown(template: str, context: dict[str, Any], templates_dir: Path | None = None) -> str:
    from jinja2 import TemplateNotFound, TemplateSyntaxError, UndefinedError
    from jinja2.exceptions import SecurityError

    from ti_cli.render.environment import environment

    env = environment(templates_dir)
    try:
        return env.get_template(template).render(context)
    except TemplateNotFound as exc:
        raise DocumentError(
            _("no template '{name}' in {places}").format(name=exc.name, places=_places(templates_dir))
        ) from exc
    except TemplateSyntaxError as exc:
        raise DocumentError(
            _("{where}: template error: {message}").format(
                where=f"{exc.filename or exc.name}:{exc.lineno}", message=exc.message
            )
        ) from exc
    except UndefinedError as exc:
        raise DocumentError(f"{_where(exc, template)}: {exc.message}") from exc
    except SecurityError as exc:
        raise DocumentError(
            _("the template {template} tried something not allowed: {reason}").format(template=template, reason=exc)
        ) from exc
    except Exception as exc:  # a template is code: whatever it raises is the template's problem, not a crash
        raise DocumentError(
            _("the template {template} failed: {reason}").format(
                template=template, reason=f"{type(exc).__name__}: {exc}"
            )
        ) from exc


def _where(exc: BaseException, template: str) -> str:
    """``fiche.md.j2:12`` — the template line that failed (Jinja maps its frames to template lines),
    or just the template's name."""
    frame = exc.__traceback__
    found = f"template {template}"
    while frame is not None:
        name = frame.tb_frame.f_code.co_filename
        if name.endswith(".j2"):
            found = f"{Path(name).name}:{frame.tb_lineno}"
        frame = frame.tb_next
    return found


def _places(templates_dir: Path | None) -> str:
    from ti_cli.resources import templates_dir as builtin_templates

    return " or ".join(str(p) for p in (templates_dir, builtin_templates()) if p is not None)


def resource(name: str, templates_dir: Path | None = None) -> str:
    """The text of a non-Jinja template file (stylesheet, Typst preamble), the user's copy first."""
    from jinja2 import TemplateNotFound

    from ti_cli.render.environment import environment

    env = environment(templates_dir)
    try:
        return env.loader.get_source(env, name)[0] if env.loader else ""
    except TemplateNotFound as exc:
        raise DocumentError(
            _("no template '{name}' in {places}").format(name=name, places=_places(templates_dir))
        ) from exc


def render_html(markdown: str, title: str, images: Path, templates_dir: Path | None = None) -> str:
    from markupsafe import Markup

    from ti_cli.render.environment import environment
    from ti_cli.render.markdown import to_html

    env = environment(templates_dir)
    css_source = resource(STYLESHEET, templates_dir)
    page = env.get_template("base.html.j2")
    return page.render(title=title, body=Markup(to_html(markdown, images)), css=Markup(css_source))


def title_of(markdown: str, fallback: str) -> str:
    """The first level-1 heading, for the HTML <title> and the Word properties."""
    import re

    for line in markdown.splitlines():
        if line.startswith("# "):
            # As read, not as typed: the ``plain`` filter's escapes (``\*``, ``\_``) taken off.
            return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", line[2:].strip())
    return fallback


def author_of(context: dict[str, Any]) -> str:
    """Who a document is from, for the Word properties: the territory (« Territoire d'industrie
    Rochefort – Royan – Marennes – Oléron »), named after its contract's or its pacte's title."""
    import re

    for key in ("contract", "pacte"):
        title = str(getattr(context.get(key), "title", "") or "")
        if not title:
            continue
        found = re.search(r"Territoire d.industrie\s.*", title)
        if key == "pacte" and found is None:
            found = re.search(r"(?<=industrie-territoire de )(?:l'|la |du )?.*", title)
            if found is not None:
                return f"Territoire d'industrie {found.group(0)}"
        name = found.group(0) if found else title
        return re.sub(r"\s+\d{4}\s*[-–]\s*\d{4}$", "", name).strip()
    return ""


REFERENCE_DOCX = "reference.docx"  # in a --templates folder: the Word styles of the territory's charte


def write_document(
    template: str,
    context: dict[str, Any],
    formats: list[str],
    output: Path,
    templates_dir: Path | None = None,
    name: str | None = None,
    reference_docx: Path | None = None,
    *,
    force: bool = False,
) -> list[Path]:
    """Render ``template`` with ``context`` and write each of ``formats``; return the files written.

    ``output`` is a folder (created if needed; files are named ``name`` or after the template's stem)
    or a file path ending in a format's extension (see ``targets``). Images referenced by the Markdown
    are resolved relative to the folder the documents are written to. The Word file takes its styles
    from ``reference_docx``, else from ``reference.docx`` in ``templates_dir`` when there is one.
    """
    from ti_cli.loading.writer import write_output
    from ti_cli.render.markdown import to_docx
    from ti_cli.render.typeset import PdfUnavailable, to_pdf

    where = targets(template, formats, output, name)
    markdown = render_markdown(template, context, templates_dir)
    title = title_of(markdown, stem(template))
    written: list[Path] = []
    for fmt in sorted(where, key=lambda f: f == "pdf"):
        path = where[fmt]
        path.parent.mkdir(parents=True, exist_ok=True)
        images = path.parent
        data: str | bytes
        if fmt == "md":
            data = markdown
        elif fmt == "docx":
            if reference_docx is None and templates_dir is not None and (templates_dir / REFERENCE_DOCX).is_file():
                reference_docx = templates_dir / REFERENCE_DOCX
            try:
                data = to_docx(markdown, images, title, reference_docx, author_of(context))
            except (OSError, ValueError, KeyError) as exc:  # python-docx: not a Word file, or broken
                if reference_docx is None:  # not the model's fault: a bug, told as one
                    raise
                raise DocumentError(
                    _("{path}: not a Word file usable as a model ({reason})").format(path=reference_docx, reason=exc)
                ) from exc
        elif fmt == "html":
            data = render_html(markdown, title, images, templates_dir)
        else:
            try:
                data = to_pdf(markdown, images, resource(PREAMBLE, templates_dir), title)
            except PdfUnavailable as exc:
                raise DocumentError(str(exc)) from exc
        write_output(path, data, force=force)  # never over a file ti did not write, unless --force
        written.append(path)
    return written


def produce(
    template: str,
    build: Callable[[Figures | None], dict[str, Any]],
    formats: list[str],
    output: Path,
    templates_dir: Path | None = None,
    name: str | None = None,
    reference_docx: Path | None = None,
    *,
    force: bool = False,
) -> list[Path]:
    """``write_document`` with the context ``build`` makes, its charts in a ``<name>-figures`` folder
    beside the documents: what ``ti render``, ``ti report``, ``ti pacte`` and ``ti serve`` all call.
    Every target is checked first, so that no chart is drawn next to a file ``ti`` may not replace."""
    from ti_cli.loading.writer import check_output
    from ti_cli.render.charts import Figures

    where = targets(template, formats, output, name)
    for path in where.values():
        check_output(path, force=force)
    first = next(iter(where.values()))
    figures = Figures(first.parent / f"{first.stem}-figures", f"{first.stem}-figures")
    return write_document(template, build(figures), formats, output, templates_dir, name, reference_docx, force=force)
