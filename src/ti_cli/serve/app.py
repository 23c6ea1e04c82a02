"""The web application: Starlette routes over a ``Repository``, pages rendered by the project's Jinja.

Read-only by construction: every route is GET (Starlette answers 405 to anything else), no route
writes, documents are made in a temporary folder. A URL names a contract, an action, a document or a
file by a value looked up among what exists, never joined into a path unchecked. Every response carries
a restrictive Content-Security-Policy: the pages use no inline script or style, nothing from elsewhere.
"""

from __future__ import annotations

import contextvars
import functools
import re
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response, StreamingResponse
from starlette.routing import Route

from ti_cli.i18n import _, language
from ti_cli.serve import exports, views
from ti_cli.serve.repository import Loaded, Repository
from ti_cli.workflow import documents as docs

CSP = (
    "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
# A document's HTML carries its print stylesheet inline and its charts as data: URIs; still no script.
DOCUMENT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; frame-ancestors 'none'"
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}
STATIC = {"serve.css": "text/css; charset=utf-8", "serve.js": "text/javascript; charset=utf-8"}
VIEWABLE = (".yaml", ".yml", ".md")
LOOPBACK = ("127.0.0.1", "localhost", "::1")
INLINE_DOCUMENTS = 8  # contracts and pactes listed with their documents on /documents; more get an index
MAX_PAGE = 4 * 1024 * 1024  # no page weighs more: listings are cut before (views.HOME_ROWS, FINDINGS_SHOWN)
FINDINGS_SHOWN = 400  # findings listed on one page; the rest are counted
# ``ti serve --incognito``: amounts hidden on every page, for a projector in a public meeting
INCOGNITO: contextvars.ContextVar[bool] = contextvars.ContextVar("incognito", default=False)
HIDDEN = "•••\u202f€"
# what --incognito masks in the text it shows as written (a file, a finding's line and message): the value of
# an amount's key, and any figure followed by a currency; over-masking a figure is safe, showing one is not
AMOUNT_KEY = re.compile(r"(\b(?:investment|operating|total|amount|paid|cap|value|target)\s*:\s*)-?\d[\d_]*(?:\.\d+)?")
EUROS = re.compile(r"-?\d[\d\u202f\xa0 .,]*(?:€|k€|M€|\beuros?\b)")


def masked(text: Any) -> Any:
    """``text`` without its amounts (``ti serve --incognito``)."""
    if not isinstance(text, str):
        return text
    return EUROS.sub(HIDDEN, AMOUNT_KEY.sub(r"\1•••", text))


@functools.cache
def _environment(incognito: bool) -> Any:
    from ti_cli.render.environment import environment

    env = environment()
    shown = env.overlay()  # shares the base's dicts: the filters are a new one, the base stays untouched
    if not incognito:
        shown.filters = {**env.filters, "masked": lambda text: text}
        return shown
    shown.filters = {
        **env.filters,
        "euros": lambda *_a, **_k: HIDDEN,
        "signed": lambda *_a, **_k: HIDDEN,
        "masked": masked,
    }
    return shown


def page(template: str, code: int = 200, **context: Any) -> HTMLResponse:
    incognito = INCOGNITO.get()
    # the words of the enumerations in the chosen language, over the documents' French ones
    html = (
        _environment(incognito)
        .get_template(f"serve/{template}")
        .render({**context, **views.words(), "lang": language(), "incognito": incognito})
    )
    if len(html) > MAX_PAGE:  # a size limit on every page: never a page of tens of MB in the browser
        html = (
            _environment(incognito)
            .get_template("serve/error.html.j2")
            .render(
                title=_("Page too large"),
                message=_("This page would weigh more than {size} MB: narrow the selection (search, filters).").format(
                    size=MAX_PAGE // (1024 * 1024)
                ),
                lang=language(),
                incognito=incognito,
            )
        )
        code = 413 if code == 200 else code
    return HTMLResponse(html, status_code=code, headers=HEADERS)


def not_found(what: str) -> HTMLResponse:
    return page("404.html.j2", code=404, title=_("Not found"), what=what)


def create_app(
    repo: Repository,
    allowed_hosts: list[str] | None = None,
    *,
    incognito: bool = False,
    live: Any = None,
    stopping: Callable[[], bool] = lambda: False,
) -> Starlette:
    """The application over ``repo``. ``allowed_hosts``: the Host headers answered (the loopback names
    by default, so that a page of another site cannot reach the server through DNS rebinding).
    ``live``: a ``live.Watcher`` whose changes /evenements pushes to open pages; ``stopping`` says when
    the server shuts down (an open event stream then ends, so Ctrl+C never waits on a browser)."""

    def home(request: Request) -> Response:
        query = views.HomeQuery.from_query(request.query_params)
        return page("home.html.j2", title=_("Home"), **views.home(repo, query))

    def checked(kind: str, name: str, documents: bool = False) -> Loaded | Response:
        """The contract or pacte named in the URL, else its 404 page, or its findings when it has errors
        (``documents``: said to be why its documents cannot be listed)."""
        loaded = repo.contract(name) if kind == "contrat" else repo.pacte(name)
        if loaded is None:  # the name typed in the URL is never echoed back
            return not_found(_("such contract") if kind == "contrat" else _("such pacte"))
        if loaded.errors:
            return broken(loaded, named(loaded, kind, name), documents=documents)
        return loaded

    def named(loaded: Loaded, kind: str, name: str) -> str:
        """A contract or pacte with errors by its title when its own file could be read, else by its id."""
        part = loaded.bundle.contract if kind == "contrat" else loaded.bundle.pacte
        model = getattr(part, "model", None)
        if model is not None and getattr(model, "title", None):
            return str(model.title)
        return (_("Contract {name}") if kind == "contrat" else _("Pacte {name}")).format(name=name)

    def contract(request: Request) -> Response:
        loaded = checked("contrat", request.path_params["contract"])
        if isinstance(loaded, Response):
            return loaded
        filters = views.Filters.from_query(request.query_params)
        return page(
            "contract.html.j2", title=loaded.bundle.contract.model.title, **views.contract_page(repo, loaded, filters)
        )

    def action(request: Request) -> Response:
        contract_id, number = request.path_params["contract"], request.path_params["number"]
        loaded = checked("contrat", contract_id)
        if isinstance(loaded, Response):
            return loaded
        context = views.action_page(repo, loaded, number)
        if context is None:
            return not_found(_("such action in this contract"))
        return page(
            "action.html.j2", title=_("Action {number}").format(number=number), contract_id=contract_id, **context
        )

    def pacte(request: Request) -> Response:
        loaded = checked("pacte", request.path_params["pacte"])
        if isinstance(loaded, Response):
            return loaded
        return page("pacte.html.j2", title=loaded.bundle.pacte.model.title, **views.pacte_page(repo, loaded))

    def findings(request: Request) -> Response:
        files, found = views.all_findings(repo)
        return page(
            "findings.html.j2",
            title=_("Findings"),
            files=files,
            groups=views.findings_page(repo, found[:FINDINGS_SHOWN]),
            findings=found,
            cut=max(0, len(found) - FINDINGS_SHOWN),
        )

    def bundle_findings(request: Request) -> Response:
        """The findings of one contract or pacte: where its row's « N avert. » leads."""
        kind, owner = request.path_params["kind"], request.path_params["owner"]
        loaded = repo.contract(owner) if kind == "contrats" else repo.pacte(owner) if kind == "pactes" else None
        if loaded is None:
            return not_found(_("such contract") if kind == "contrats" else _("such pacte"))
        title = owner
        model = loaded.bundle.contract.model if kind == "contrats" else loaded.bundle.pacte.model
        if model is not None:
            title = model.title
        return page(
            "findings.html.j2",
            title=_("Findings"),
            of=title,
            of_link=f"/{kind}/{owner}",
            files=loaded.files,
            groups=views.findings_page(repo, loaded.findings[:FINDINGS_SHOWN]),
            findings=loaded.findings,
            cut=max(0, len(loaded.findings) - FINDINGS_SHOWN),
        )

    def broken(
        loaded: Loaded, name: str, code: int = 200, document: str | None = None, documents: bool = False
    ) -> Response:
        """A bundle with errors: its findings instead of figures (nothing is computed on broken data);
        ``document``: the document asked for, which cannot be made until they are corrected."""
        return page(
            "findings.html.j2",
            code=code,
            title=_("{name}: to correct").format(name=name),
            broken=name,
            document=document,
            documents=documents,
            files=loaded.files,
            groups=views.findings_page(repo, loaded.findings[:FINDINGS_SHOWN]),
            findings=loaded.findings,
            cut=max(0, len(loaded.findings) - FINDINGS_SHOWN),
        )

    def source(request: Request) -> Response:
        path = inside(repo.root, request.path_params["path"])
        if path is None:
            return not_found(_("such file"))
        return page(
            "file.html.j2",
            title=request.path_params["path"],
            path=request.path_params["path"],
            lines=views.read_lines(path, views.SHOWN_LINES),
            editor=views.editor_link(path, 1, 1),
        )

    def listed(kind: str, owner: str) -> list[docs.Document] | None:
        """The documents of a contract (``kind="contrats"``) or pacte; None when it is unknown or broken."""
        loaded = repo.contract(owner) if kind == "contrats" else repo.pacte(owner) if kind == "pactes" else None
        if loaded is None or loaded.errors:
            return None
        if kind == "contrats":
            return docs.contract_documents(loaded.bundle, repo.today)
        return docs.pacte_documents(loaded.bundle, repo.today)

    def documents(request: Request) -> Response:
        """Every contract and pacte with its documents; a large portfolio gets an index of links instead
        (listing every document would load every contract)."""
        lines = [("contrats", s) for s in repo.summaries("contract")] + [("pactes", s) for s in repo.summaries("pacte")]
        inline = len(lines) <= INLINE_DOCUMENTS
        sections = [
            {
                "kind": kind,
                "id": s["id"],
                "title": s["title"],
                "errors": s["errors"],
                "documents": listed(kind, s["id"]) if inline and not s["errors"] else None,
            }
            for kind, s in lines
        ]
        return page("documents.html.j2", title=_("Documents"), sections=sections, formats=docs.FORMAT_LABELS)

    def bundle_documents(request: Request) -> Response:
        kind, owner = request.path_params["kind"], request.path_params["owner"]
        loaded = (
            checked("contrat" if kind == "contrats" else "pacte", owner, documents=True)
            if kind in ("contrats", "pactes")
            else not_found(_("such page"))
        )
        if isinstance(loaded, Response):
            return loaded
        title = loaded.bundle.contract.model.title if kind == "contrats" else loaded.bundle.pacte.model.title
        sections = [{"kind": kind, "id": owner, "title": title, "errors": 0, "documents": listed(kind, owner)}]
        return page("documents.html.j2", title=_("Documents"), sections=sections, formats=docs.FORMAT_LABELS)

    def document(request: Request) -> Response:
        kind, owner, name = (request.path_params[k] for k in ("kind", "owner", "name"))
        stem, _sep, fmt = name.rpartition(".")
        if INCOGNITO.get() and fmt in docs.MEDIA:  # a document shows the amounts the pages hide
            return page(
                "error.html.j2",
                code=403,
                title=_("Amounts hidden"),
                message=_(
                    "The amounts are hidden (ti serve --incognito): the documents, which show them, are not handed out."
                ),
            )
        loaded = repo.contract(owner) if kind == "contrats" else repo.pacte(owner) if kind == "pactes" else None
        if loaded is not None and loaded.errors and fmt in docs.MEDIA:
            # not a 404: the document exists, the data is not in a state to make it — say so, and where
            what = named(loaded, "contrat" if kind == "contrats" else "pacte", owner)
            return broken(loaded, what, code=409, document=name)
        found = listed(kind, owner) if fmt in docs.MEDIA else None
        chosen = next((d for d in found or [] if d.key == stem and fmt in d.formats), None)
        if chosen is None:
            return not_found(_("such document"))
        from ti_cli.render.documents import DocumentError

        try:
            body = docs.make(chosen, fmt)
        except DocumentError as exc:
            return page("error.html.j2", code=500, title=_("Document impossible"), message=str(exc))
        download = request.query_params.get("telecharger") == "1" or fmt in ("docx", "md", "pptx", "ics")
        disposition = f'{"attachment" if download else "inline"}; filename="{owner}-{stem}.{fmt}"'
        return Response(
            body,
            media_type=docs.MEDIA[fmt],
            headers={**HEADERS, "Content-Security-Policy": DOCUMENT_CSP, "Content-Disposition": disposition},
        )

    def export(request: Request) -> Response:
        """A table of figures as ``ti totals --format csv|xlsx`` writes it (the same writers)."""
        owner, name = request.path_params["contract"], request.path_params["name"]
        stem, _sep, fmt = name.rpartition(".")
        loaded = checked("contrat", owner)
        if isinstance(loaded, Response):
            return loaded
        if INCOGNITO.get():  # amounts hidden on screen: not handed out as files either
            return not_found(_("such export"))
        by = exports.EXPORTS.get(stem, "missing")
        if by == "missing" or fmt not in exports.MEDIA or (fmt == "xlsx" and stem != "actions"):
            return not_found(_("such export"))
        body = exports.xlsx(loaded.bundle) if fmt == "xlsx" else exports.csv(loaded.bundle, by)
        return Response(
            body,
            media_type=exports.MEDIA[fmt],
            headers={**HEADERS, "Content-Disposition": f'attachment; filename="{owner}-{stem}.{fmt}"'},
        )

    def member(request: Request) -> Response:
        loaded = checked("pacte", request.path_params["pacte"])
        if isinstance(loaded, Response):
            return loaded
        context = views.member_page(repo, loaded, request.path_params["member"])
        if context is None:
            return not_found(_("such member in this pacte"))
        return page("member.html.j2", title=context["member"].company, **context)

    async def events(request: Request) -> Response:
        """Server-sent events: « changement » each time a data file changes (the page then refreshes
        what it shows), a comment now and then so that proxies keep the stream open."""
        import asyncio

        async def stream() -> AsyncIterator[str]:
            seen = live.version if live is not None else 0
            yield "retry: 2000\n\n"
            quiet = 0.0
            while not stopping() and not await request.is_disconnected():
                await asyncio.sleep(0.25)
                quiet += 0.25
                if live is not None and live.version != seen:
                    seen = live.version
                    yield f"event: changement\ndata: {seen}\n\n"
                    quiet = 0.0
                elif quiet >= 15:
                    yield ": ...\n\n"
                    quiet = 0.0

        return StreamingResponse(
            stream(), media_type="text/event-stream", headers={**HEADERS, "X-Accel-Buffering": "no"}
        )

    def static(request: Request) -> Response:
        from ti_cli.render.environment import environment

        name = request.path_params["name"]
        if name not in STATIC:
            return not_found(_("such file"))
        env = environment()
        if env.loader is None:  # environment() always has one
            return not_found(_("such file"))
        text = env.loader.get_source(env, f"serve/{name}")[0]
        return Response(text, media_type=STATIC[name], headers={**HEADERS, "Cache-Control": "max-age=60"})

    async def http_error(request: Request, exc: Exception) -> Response:
        code = getattr(exc, "status_code", 500)
        if code == 404:
            return not_found(_("such page"))
        answer = page(
            "error.html.j2", code=code, title=_("Error"), message=_("Request refused ({code}).").format(code=code)
        )
        if code == 405:  # every page is read-only (RFC 9110: a 405 says what is allowed)
            answer.headers["Allow"] = "GET, HEAD"
        return answer

    routes = [
        Route("/", home),
        Route("/contrats/{contract}", contract),
        Route("/contrats/{contract}/actions/{number:int}", action),
        Route("/pactes/{pacte}", pacte),
        Route("/constats", findings),
        Route("/constats/{kind}/{owner}", bundle_findings),
        Route("/pactes/{pacte}/membres/{member}", member),
        Route("/export/contrats/{contract}/{name}", export),
        Route("/fichiers/{path:path}", source),
        Route("/documents", documents),
        Route("/documents/{kind}/{owner}", bundle_documents),
        Route("/documents/{kind}/{owner}/{name}", document),
        Route("/static/{name}", static),
    ]
    middleware = [
        Middleware(HostCheck, allowed=allowed_hosts or list(LOOPBACK)),
        Middleware(Presenting, incognito=incognito),
    ]
    return Starlette(
        routes=[Route(r.path, guarded(r.endpoint)) for r in routes] + [Route("/evenements", events)],
        middleware=middleware,
        exception_handlers={HTTPException: http_error},
    )


class HostCheck:
    """Answers only requests whose Host header names an allowed host, IPv6 literals included
    (``[::1]:8000``: Starlette's own check cuts at the first colon and refused every IPv6 request).
    Keeps a page of another site from reaching the server through DNS rebinding."""

    def __init__(self, app: Any, allowed: list[str]) -> None:
        self.app, self.allowed = app, {h.strip("[]") for h in allowed}

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] in ("http", "websocket") and "*" not in self.allowed:
            header = dict(scope.get("headers") or []).get(b"host", b"").decode("latin-1")
            if host_of(header) not in self.allowed:
                await Response(_("Invalid host header"), status_code=400, media_type="text/plain")(scope, receive, send)
                return
        await self.app(scope, receive, send)


class Presenting:
    """Sets ``INCOGNITO`` for the request (``ti serve --incognito``): every page then hides its amounts."""

    def __init__(self, app: Any, incognito: bool) -> None:
        self.app, self.incognito = app, incognito

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        token = INCOGNITO.set(self.incognito)
        try:
            await self.app(scope, receive, send)
        finally:
            INCOGNITO.reset(token)


def host_of(header: str) -> str:
    """The host of a Host header, without its port: ``[::1]:8000`` → ``::1``, ``localhost:80`` → ``localhost``."""
    if header.startswith("["):
        return header[1 : header.find("]")] if "]" in header else ""
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def guarded(endpoint: Callable[[Request], Response]) -> Callable[[Request], Response]:
    """The page, or when building it fails, one line in the terminal and an error page — never a traceback
    (Starlette's handler for ``Exception`` would still hand the exception on to the server's log)."""

    @functools.wraps(endpoint)
    def wrapper(request: Request) -> Response:
        try:
            return endpoint(request)
        except Exception as exc:
            print(
                _("ti serve: error on {path}: {error}").format(
                    path=request.url.path, error=f"{type(exc).__name__}: {exc}"
                ),
                file=sys.stderr,
            )
            return page(
                "error.html.j2",
                code=500,
                title=_("Error"),
                message=_("The page could not be built; the terminal says why."),
            )

    return wrapper


def inside(root: Path, wanted: str) -> Path | None:
    """``root/wanted`` when it is a data file below ``root`` (after resolving ``..`` and links), else None."""
    try:
        base = root.resolve()
        path = (base / wanted).resolve()
        relative = path.relative_to(base)
    except (ValueError, OSError):
        return None
    hidden = any(part.startswith(".") for part in relative.parts)  # .git/, .ti-cache/
    if hidden or path.suffix.lower() not in VIEWABLE or not path.is_file():
        return None
    return path
