"""Word: rows → DOCX (python-docx, lxml) and an edited DOCX → changes to the YAML.

``oxml`` holds the XML python-docx has no API for; ``document`` the base every
DOCX starts from; ``sheet``, ``review`` and ``pack`` write; ``read`` and
``merge`` bring a person's edits back. Never imports the paged layer.
"""
