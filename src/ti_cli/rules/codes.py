"""Codes of the problems found while loading a file, before any rule runs (documented with the rules)."""

from ti_cli.i18n import N_

# code → (name, what it means: an English msgid, French through the catalog)
LOADING: dict[str, tuple[str, str]] = {
    "TI001": ("yaml-syntax", N_("The file is not valid YAML (a missing colon, a bad indent, an unclosed bracket).")),
    "TI002": ("duplicate-key", N_("The same key twice in one mapping: YAML keeps one silently, ti refuses both.")),
    "TI003": ("forbidden-tag", N_("A tag such as `!!python/object` : only plain values are allowed, nothing is run.")),
    "TI004": ("not-utf8", N_("The file is not UTF-8 text (often a Windows-1252 export from Excel).")),
    "TI005": ("file-too-large", N_("A file over 5 MB is refused before parsing, so that no file can stall ti.")),
    "TI006": ("too-deep", N_("Nesting deeper than 64 levels is refused (no real file needs it; it crashes parsers).")),
    "TI007": ("too-many-nodes", N_("More than 100 000 values once YAML aliases are expanded (an 'alias bomb').")),
    "TI008": ("unreadable", N_("The file cannot be read (permissions, a broken link).")),
    "TI009": ("number-out-of-range", N_("A number of more than 18 digits before the point or 24 in all (`1e400`).")),
    "TI010": ("unknown-field", N_("A key the format does not have: usually a typo; the message suggests the field.")),
    "TI011": ("missing-field", N_("A required key is absent.")),
    "TI012": ("wrong-type", N_("A value of the wrong kind: text where a number or a date is expected, etc.")),
    "TI013": ("not-in-enum", N_("A value outside its list of allowed values; the message lists them.")),
    "TI014": ("invalid-value", N_("A value out of range or of the wrong form (an id with capitals, progress 120).")),
    "TI015": ("empty-file", N_("The file holds nothing.")),
    "TI016": ("unknown-file", N_("A YAML file in a contract or pacte folder that ti does not know: not checked.")),
    "TI020": ("money-not-number", N_('An amount written as text (`"16 753 500 €"`); write the plain number.')),
    "TI021": ("money-decimals", N_("An amount with more than 2 decimals: euros have cents, no less.")),
    "TI022": ("money-negative", N_("A negative amount.")),
    "TI024": ("money-too-large", N_("An amount above 10¹² € (a thousand billion): no contract reaches it.")),
}
