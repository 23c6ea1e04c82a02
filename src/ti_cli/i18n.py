"""What ``ti`` says to a person, in French by default and in English with ``--lang en`` or ``TI_LANG=en``.

Standard gettext: messages are written in English in the code (the msgid, marked ``_("…")``) and
translated in ``locale/fr/LC_MESSAGES/ti.po``. ``make locale`` extracts them with Babel; the build
(``setup.py``) and ``make`` compile them to ``.mo``, which the wheel carries. English needs no catalog.

Typer's panel titles (``typer.rich_utils``: « Commandes », « [défaut : …] ») come from
``gettext.gettext``, imported as ``_`` when Typer loads: ``activate`` points that function, and the
copies already imported, at our catalog, where ``cli/words.py`` lists them. The click that Typer carries
(``typer._click``) has no gettext: its words are replaced in ``cli/`` itself. The language is chosen once,
before the commands are imported, because Typer reads help texts when it builds the app.

Codes, field names, enum values, formats and JSON keys never go through here (SPEC §12).
"""

from __future__ import annotations

import contextlib
import functools
import gettext as _stdlib
import os
import sys
from collections.abc import Callable
from pathlib import Path

LANGUAGES = ("fr", "en")
DEFAULT = "fr"
LOCALE = Path(__file__).with_name("locale")
DOMAIN = "ti"

_ORIGINAL = (_stdlib.gettext, _stdlib.ngettext)
_language = [DEFAULT]
_domains: dict[str, _stdlib.NullTranslations] = {}
_bound: list[Callable[..., str]] = [*_ORIGINAL]  # every function given to Click and Typer as their ``_``
_typer_constants: dict[str, str] = {}  # typer.rich_utils' strings as first imported (English)


def _(message: str) -> str:
    """``message`` (English, the msgid) in the chosen language."""
    return _lookup(DOMAIN, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n`` in the chosen language (French: 0 and 1 are singular)."""
    return _lookup_plural(DOMAIN, singular, plural, n)


def N_(message: str) -> str:
    """Marks a string for the catalog where it is defined (a module constant); ``_`` translates it later."""
    return message


def language() -> str:
    return _language[0]


class UnknownLanguage(ValueError):
    pass


def activate(lang: str) -> None:
    """Choose the language of every message from now on, ti's and Typer's alike."""
    if lang not in LANGUAGES:
        raise UnknownLanguage(lang)
    _language[0] = lang
    _domains.clear()
    _lookup.cache_clear()
    _lookup_plural.cache_clear()
    _bind_libraries()


class in_french(contextlib.ContextDecorator):  # a phrase: ``@in_french()``
    """Within it, ``_`` and ``ngettext`` answer in French whatever the chosen language: for the documents
    (an avenant, a pull-request comment), which are always French (README, « Langue »)."""

    def __init__(self) -> None:
        self._before: list[str] = []  # a stack: the same decorator may be entered again within itself

    def __enter__(self) -> None:
        self._before.append(language())
        if language() != "fr":
            activate("fr")

    def __exit__(self, *_exc: object) -> None:
        before = self._before.pop()
        if language() != before:
            activate(before)


def _catalog(domain: str) -> _stdlib.NullTranslations:
    found = _domains.get(domain)
    if found is None:
        if _language[0] == "en":
            found = _stdlib.NullTranslations()
        else:
            found = _stdlib.translation(domain, LOCALE, languages=[_language[0]], fallback=True)
        _domains[domain] = found
    return found


@functools.lru_cache(maxsize=4096)
def _lookup(domain: str, message: str) -> str:
    return _french(_catalog(domain).gettext(message))


@functools.lru_cache(maxsize=1024)
def _lookup_plural(domain: str, singular: str, plural: str, n: int) -> str:
    return _french(_catalog(domain).ngettext(singular, plural, n))


def _french(text: str) -> str:
    """Translators type ordinary spaces; French typography (no-break spaces before ``:`` and inside
    « ») is applied here, once, so that a message never breaks between a word and its colon."""
    if _language[0] != "fr":
        return text
    from ti_cli.typography import typography

    return typography(text)


def _library_gettext(message: str) -> str:
    return _lookup(DOMAIN, message)


def _library_ngettext(msgid1: str, msgid2: str, n: int) -> str:  # gettext.ngettext's parameter names
    return _lookup_plural(DOMAIN, msgid1, msgid2, n)


def _bind_libraries() -> None:
    """Typer (and click, where installed) bind ``gettext.gettext`` as ``_`` when imported; rebind it for
    modules not yet imported (the stdlib function) and for those already imported."""
    if _stdlib.gettext is not _library_gettext:
        _stdlib.gettext, _stdlib.ngettext = _library_gettext, _library_ngettext
        _bound.extend((_library_gettext, _library_ngettext))
    for name, module in list(sys.modules.items()):
        if name.partition(".")[0] not in ("click", "typer"):
            continue
        for attribute, function in (("_", _library_gettext), ("ngettext", _library_ngettext)):
            if getattr(module, attribute, None) in _bound:
                setattr(module, attribute, function)
    rich_utils = sys.modules.get("typer.rich_utils")
    if rich_utils is not None:  # its panel titles were translated once, when it was imported
        if not _typer_constants:
            _typer_constants.update(
                {
                    k: v
                    for k, v in vars(rich_utils).items()
                    if k.endswith(("_STRING", "_TITLE", "_TEXT", "_HELP")) and isinstance(v, str)
                }
            )
        for key, english in _typer_constants.items():
            setattr(rich_utils, key, _library_gettext(english))


def chosen_language(argv: list[str], environ: os._Environ[str] | dict[str, str] = os.environ) -> tuple[str, list[str]]:
    """The language asked for (``--lang X`` anywhere before ``--``, else ``TI_LANG``, else French) and
    ``argv`` without the option. The system locale (``LANG``) is not read: a French chef de projet on an
    English Windows still reads French."""
    lang = environ.get("TI_LANG", "").strip().lower() or DEFAULT
    rest: list[str] = []
    words = iter(argv)
    for word in words:
        if word == "--":
            rest.append(word)
            rest.extend(words)
            break
        if word == "--lang":
            lang = next(words, "").strip().lower()
        elif word.startswith("--lang="):
            lang = word.removeprefix("--lang=").strip().lower()
        else:
            rest.append(word)
    return lang, rest


def _from_environment() -> str:
    lang = os.environ.get("TI_LANG", "").strip().lower()
    return lang if lang in LANGUAGES else DEFAULT


activate(_from_environment())
