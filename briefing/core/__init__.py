"""The core: YAML with marks → validated model → format-neutral rows.

Nothing here imports a format library (Jinja2, WeasyPrint, python-docx,
pikepdf); the paged and Word layers render what this layer describes.
"""
