"""Orchestration: which documents to make, in which worker, written how.

The stages live in :mod:`briefing.build.pipeline`; options and report types in
:mod:`briefing.build.options`. This package is imported by commands that build;
``check``, ``review`` and ``import-docx`` never load the paged layer through it.
"""
