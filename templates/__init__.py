"""Built-in templates, CSS and starter files, installed as ``ti_cli.templates`` (see ti_cli/resources.py)."""
