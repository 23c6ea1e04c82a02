"""``ti serve``: the data repository in a browser — read-only, local, live as the files change.

``repository`` reads and checks the files by content hash, ``views`` arranges the figures of
``compute/`` for each page, ``documents`` makes the documents on demand, ``app`` holds the routes and
``server`` binds the port and runs uvicorn. Starlette and uvicorn are imported only by ``ti serve``.
"""
