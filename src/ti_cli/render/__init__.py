"""Documents: Jinja Markdown templates rendered once, then written as md, html, docx and pdf.

``documents.write_document`` is the entry point; ``context`` builds what the templates see from the
models; ``markdown`` turns the Markdown into HTML and Word; ``pdf`` prints the HTML; ``charts`` draws
the figures the templates reference. Heavy libraries are imported inside the functions that use them.
"""
