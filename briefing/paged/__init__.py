"""Paged media: rows → HTML (Jinja2, autoescaped) → PDF (WeasyPrint), post-processed with pikepdf.

Never imports the Word layer; the build puts the two side by side.
"""
