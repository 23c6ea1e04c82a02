"""Reading a data repo's history through ``git``: files at a revision, what changed since a revision.

``git.py`` runs the ``git`` program with argument lists (never a shell) and validates every ref before
using it; ``revision.py`` loads a contract as it was at a revision, through the ordinary loader, with
every finding labelled ``REV:path``. Nothing here writes to the repository.
"""
