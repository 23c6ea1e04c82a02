"""What a command does, apart from how it is asked for: load, check, compute, write.

``cli/`` (Typer) and ``serve/`` (the web view) only parse a request and present the result; the steps
in between live here, once, so that a command and a page given the same files say the same thing.
"""
