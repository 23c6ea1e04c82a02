"""Typer's own words, listed here so that they are in ti's catalog: ``typer.rich_utils`` translates its
panel titles and notes through ``gettext.gettext``, which ``ti_cli.i18n`` points at that catalog."""

from ti_cli.i18n import N_

TYPER = (
    N_("(deprecated) "), N_("[default: {}]"), N_("[env var: {}]"), N_("[required]"), N_("Arguments"),
    N_("Options"), N_("Commands"), N_("Error"), N_("Aborted."),
    N_("Try [blue]'{command_path} {help_option}'[/] for help."),
)
