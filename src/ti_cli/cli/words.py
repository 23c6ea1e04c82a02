"""Typer's own words in the user's language: its help pages (« Utilisation », « Afficher ce message et
quitter ») and its usage errors (« option inconnue »).

Typer translates its panel titles through ``gettext.gettext``, which ``ti_cli.i18n`` points at ti's
catalog: ``TYPER`` lists them so that they are in it. The copy of click that Typer carries
(``typer._click``) has no gettext: ``Command`` and ``Group`` give the usage line and the ``--help``
option their words, and rewrite click's English errors before Typer prints them.
"""

from __future__ import annotations

import re
from typing import Any

from typer._click.exceptions import ClickException
from typer.core import TyperCommand, TyperGroup

from ti_cli.i18n import N_, _

TYPER = (
    N_("(deprecated) "),
    N_("[default: {}]"),
    N_("[env var: {}]"),
    N_("[required]"),
    N_("Arguments"),
    N_("Options"),
    N_("Commands"),
    N_("Error"),
    N_("Aborted."),
    N_("Try [blue]'{command_path} {help_option}'[/] for help."),
    N_("No such command {name!r}."),
)


def _usage(command: Any, ctx: Any, formatter: Any) -> None:
    formatter.write_usage(ctx.command_path, " ".join(command.collect_usage_pieces(ctx)), prefix=_("Usage: "))


def _help_option(option: Any) -> Any:
    if option is not None:
        option.help = _("Show this message and exit.")
        option.display_type_rich = _nothing
    return option


def _readable(params: list[Any]) -> None:
    """No Python type in a help page (Typer shows ``<str>``, ``<bool>``, ``<%Y-%m-%d>``, ``<list[Path]>``):
    a flag shows nothing, an argument its name, an option without a metavar a word a person reads."""
    for param in params:
        if getattr(param, "min", None) is not None or getattr(param, "max", None) is not None:
            param._get_number_range_help_str = _nothing_said  # Typer's « [x>=0] »: the help text says it
        if getattr(param, "is_flag", False) or param.param_type_name == "argument":
            param.display_type_rich = _nothing
        elif param.metavar is None:
            param.metavar = _metavar(param)


def _nothing(ctx: Any) -> None:
    return None


def _nothing_said() -> None:
    return None


def _metavar(param: Any) -> str | None:
    described = getattr(param, "type_descriptor", None)
    if described is None or described.is_choice:
        return None  # choices show themselves: md|html|docx|pdf
    if described.is_datetime:
        return _("YYYY-MM-DD")
    if described.is_path:
        return _("PATH")
    kind = described.annotation
    if kind is int or kind == list[int]:
        return _("NUMBER")
    return _("TEXT")


class _InWords:
    """What a command and a group share: the usage line, ``--help`` and click's errors in the user's
    language, and no Python type in the help page (mixed in before Typer's class)."""

    params: list[Any]
    options_metavar: str | None  # as click's Command declares it

    def _speak(self) -> None:
        self.options_metavar = _("[OPTIONS]")
        _readable(self.params)

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        _usage(self, ctx, formatter)

    def get_help_option(self, ctx: Any) -> Any:
        return _help_option(super().get_help_option(ctx))  # type: ignore[misc]  # a mixin: Typer's class comes next

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        try:
            parsed: list[str] = super().parse_args(ctx, args)  # type: ignore[misc]  # a mixin: Typer's class comes next
            return parsed
        except ClickException as error:
            raise _translated(error) from None


class Command(_InWords, TyperCommand):
    """A command whose usage line and ``--help`` speak the user's language."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._speak()


class Group(_InWords, TyperGroup):
    """A group of commands (``ti``, ``ti render``…) speaking the user's language."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._speak()
        self.subcommand_metavar = _("COMMAND [ARGS]...")


# click's English messages (typer/_click and typer/_coercion), recognised by their wording: the
# exception classes do not keep their parts apart.
_MESSAGES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), message)
    for pattern, message in (
        (r"^Missing option (?P<name>.+?)\.$", N_("Missing option {name}.")),
        (r"^Missing argument (?P<name>.+?)\.$", N_("Missing argument {name}.")),
        (r"^Missing parameter (?P<name>.+?)\.$", N_("Missing option {name}.")),
        (
            r"^No such option: (?P<name>\S+) \(Possible options: (?P<names>.+)\)$",
            N_("No such option: {name} (did you mean {names}?)"),
        ),
        (r"^No such option: (?P<name>\S+)$", N_("No such option: {name}")),
        (r"^Got unexpected extra arguments? \((?P<names>.*)\)$", N_("Unexpected extra argument: {names}")),
        (r"^Option (?P<name>\S+) requires an argument\.$", N_("Option {name} requires a value.")),
        (r"^Option (?P<name>\S+) requires (?P<n>\d+) arguments\.$", N_("Option {name} requires {n} values.")),
        (r"^Option (?P<name>\S+) does not take a value\.$", N_("Option {name} does not take a value.")),
        (r"^Invalid value for (?P<name>.+?): (?P<reason>.+)$", N_("Invalid value for {name}: {reason}")),
        (
            r"^(?:Value error, )?'(?P<value>.*)' does not match the formats? (?P<formats>.+)\.$",
            N_("'{value}' is not a date written YYYY-MM-DD."),
        ),
        (r"^'(?P<value>.*)' is not one of (?P<names>.+)\.$", N_("'{value}' is not one of {names}.")),
        (r"^Value '(?P<value>.*)' is not a valid (?P<kind>integer|int)\.$", N_("'{value}' is not a whole number.")),
        (r"^Value '(?P<value>.*)' is not a valid (?P<kind>float|decimal|Decimal)\.$", N_("'{value}' is not a number.")),
        (r"^Value '(?P<value>.*)' is not a valid (?P<kind>.+)\.$", N_("'{value}' is not valid here.")),
        # Typer's checks of a number (pydantic's words)
        (r"^Input should be a valid integer\b.*$", N_("not a whole number")),
        (r"^Input should be a valid (?:number|decimal|float)\b.*$", N_("not a number")),
        (r"^Input should be greater than or equal to (?P<n>\S+)$", N_("must be {n} or more")),
        (r"^Input should be less than or equal to (?P<n>\S+)$", N_("must be {n} or less")),
        (r"^Input should be greater than (?P<n>\S+)$", N_("must be more than {n}")),
        (r"^Input should be less than (?P<n>\S+)$", N_("must be less than {n}")),
    )
)


_QUOTED = re.compile(r"'([^']*)'")


def _translated(error: Any) -> Any:
    """click's exception, its message put in the user's language before Typer prints it."""
    english = error.format_message()
    error.format_message = lambda: translate(english)
    return error


def translate(text: str) -> str:
    """click's English message in the user's language (unchanged when it is not one of click's)."""
    for pattern, message in _MESSAGES:
        found = pattern.match(text)
        if found:
            parts = found.groupdict()
            if "reason" in parts:
                parts["reason"] = translate(parts["reason"])
            for key in ("name", "names"):  # click quotes them '--soon': « --soon » in French
                if key in parts:
                    parts[key] = _QUOTED.sub(lambda m: _("'{item}'").format(item=m.group(1)), parts[key])
            return _(message).format(**parts)
    return text
