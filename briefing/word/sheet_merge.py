"""A sheet DOCX back into the YAML: texts, rows added, deleted and moved, contact fields.

The steps, in the order they must run (edits by path first, then the lists are
re-arranged, which changes the paths):

1. the rows become entries (:func:`briefing.word.rows.entries_of`), new ones get
   a kind and a place from their neighbours;
2. texts of existing units are merged three ways, an activity's dates, city and
   host re-read from its new texts, contact fields checked and written;
3. new units are built (an activity's fields read from its texts, both languages
   agreeing), deleted ones listed (removed only with ``allow_delete``);
4. every list whose items changed is arranged in the DOCX's order.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from ..core.activity_text import (
    ActivityReader,
    TextReading,
    Unreadable,
    date_span,
    describe,
    key_for,
    slug,
)
from ..core.model import CONTACT_PLAIN_FIELDS, Activity, Contact, Country, DataPath, Sheet, Unit
from ..core.yamledit import YamlEditor
from .read import DocxContent, DocxRow
from .rows import Entry, entries_of, moved_rows, place_new_entries, place_of
from .texts import Change, Decider, Edits, edit_text, normal

#: What a contact field must look like; the message says what to write instead.
_FIELD_PATTERNS = {
    "telephone": (re.compile(r"^\+?[0-9][0-9 ()./\-–]{4,}[0-9]$"),
                  "a telephone number (digits, spaces and + ( ) - only, e.g. +43 1 504 4677 0)"),
    "email": (re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$"),
              "an e-mail address (e.g. secretariat@example.org)"),
    "website": (re.compile(r"^(https?://)?[\w-]+(\.[\w-]+)+(/\S*)?$"),
                "a web address (e.g. www.example.org)"),
}
_FIELD_PATTERNS["fax"] = _FIELD_PATTERNS["telephone"]
_FIELD_PATTERNS["facebook"] = _FIELD_PATTERNS["website"]
#: Units a sheet cannot lose: its title and organisation, section headings.
_FIXED_KINDS = frozenset({"document-title", "organisation", "heading"})


class SheetMerge:
    def __init__(self, docx: DocxContent, sheet: Sheet, countries: Mapping[str, Country],
                 decider: Decider, editor: YamlEditor, *, allow_delete: bool,
                 sheet_file: str, labels: Mapping[str, Any]) -> None:
        self.docx = docx
        self.sheet = sheet
        self.countries = countries
        self.decider = decider
        self.editor = editor
        self.allow_delete = allow_delete
        self.sheet_file = sheet_file
        self.labels = labels
        self.languages = list(sheet.languages)
        self.units = {unit.key: unit for unit in sheet.units()}
        self.contacts = {unit.source.key: unit.path[:-1] for unit in self.units.values()
                         if isinstance(unit.source, Contact)}
        self.edits = Edits([], [], [])
        self.refused_rows: set[int] = set()
        self.reader = ActivityReader(countries, self.languages)
        #: Every key in use, so that a new unit's key is unique.
        self._taken = set(self.units) | {unit.key for unit in docx.base}

    def run(self) -> Edits:
        base_kinds = {unit.key: unit.kind for unit in self.docx.base}
        entries, notes = entries_of(self.docx.rows, self.sheet, base_kinds, self.languages)
        self.edits.notes += notes
        self._dropped_and_comments()
        unplaced = place_new_entries(entries, self.sheet)
        for entry, reason in unplaced:
            if not self._contact_field_added(entry):
                self._refuse(entry.row, reason)
        emptied: list[Entry] = []
        for entry in entries:
            if entry.key is not None:
                if not any(entry.texts.values()):
                    emptied.append(entry)
                else:
                    self._existing(entry)
        new = [entry for entry in entries if entry.is_new and entry.place is not None
               and any(entry.texts.values()) and entry.row.number not in self.refused_rows]
        built = {id(entry): item for entry in new
                 if (item := self._new_item(entry)) is not None}
        removed = self._deleted(emptied)
        self._check_sections(entries)
        self._arrange(entries, built, removed)
        self.edits.notes += self.decider.notes
        return self.edits

    # -- what the DOCX says about rows that were there ----------------------------------------

    def _dropped_and_comments(self) -> None:
        for row in self.docx.rows:
            for cell, lang in zip(row.cells, self.languages, strict=True):
                for what in cell.dropped:
                    self.edits.notes.append(f"{row.key or f'row {row.number}'}.{lang}: "
                                            f"{what} dropped")
        for comment in self.docx.comments:
            key = self.docx.row_key(comment.row) or f"row {comment.row}"
            lang = self.languages[comment.column] if comment.column < 2 else ""
            by = f" by {comment.author}" if comment.author else ""
            self.edits.notes.append(f"{key}.{lang}: Word comment{by}: {comment.text}")

    def _existing(self, entry: Entry) -> None:
        key = entry.key or ""
        where = entry.row.where(self.docx.name)
        if entry.kind == "contact-plain":
            self._contact_plain(entry, where)
            return
        unit = self.units.get(key)
        if unit is None:
            self._refuse(entry.row, f"{where}: this unit is no longer in {self.sheet_file}; "
                                    "its edit has nowhere to go")
            return
        base = self.docx.base_unit(key)
        changed = False
        for lang in self.languages:
            theirs = entry.texts.get(lang, "")
            base_text = normal(base.texts.get(lang, ""))
            if theirs == base_text:
                continue
            if not theirs:
                remedy = "write a text instead" if unit.kind in _FIXED_KINDS \
                    or unit.kind == "contact-field" else "to remove the unit, delete its row"
                self._refuse(entry.row, f"{where}: the {lang} text was emptied; {remedy}")
                return
            change = edit_text(self.decider, self.editor, unit, lang, base_text, theirs, where)
            if change is not None:
                self.edits.changes.append(change)
                changed = True
        if changed and isinstance(unit.source, Activity):
            self._activity_fields(entry, unit, unit.source, where)

    def _activity_fields(self, entry: Entry, unit: Unit, activity: Activity,
                         where: str) -> None:
        """The dates, city and host of an edited activity follow its texts: both languages
        must then agree. A text that does not open with a date and place changes nothing."""
        texts = {lang: entry.texts.get(lang) or activity.text.get(lang, "")
                 for lang in self.languages}
        readings = [reading for lang, text in texts.items() if text
                    and isinstance(reading := self.reader.read_text(text, lang), TextReading)]
        if not readings:
            return
        spans = {r.lang: date_span(r.start, r.end) for r in readings}
        hosts = {r.lang: r.host for r in readings if r.host}
        for what, values in (("dates", spans), ("host", hosts)):
            if len(set(values.values())) > 1:
                shown = ", ".join(f"{lang} {value}" for lang, value in values.items())
                self._refuse(entry.row, f"{where}: the {what} differ between the languages "
                                        f"({shown}); make both texts say the same")
                return
        first = readings[0]
        path = unit.path[:-1]
        end = first.end if first.end != first.start else None
        if (first.start, end) != (activity.start, activity.end):
            self.editor.set_value(path, "start", first.start)
            self.editor.set_value(path, "end", end)
            self.edits.changes.append(Change(unit.key, "dates",
                                             date_span(activity.start, activity.end),
                                             date_span(first.start, first.end)))
        for reading in readings:
            if reading.city and reading.city != activity.city.get(reading.lang):
                self.editor.set_text((*path, "city"), reading.lang, reading.city)
                self.edits.changes.append(Change(unit.key, f"city.{reading.lang}",
                                                 activity.city.get(reading.lang, ""),
                                                 reading.city))
        host = next(iter(hosts.values()), None)
        if host is not None and host != activity.host:
            self.editor.set_value(path, "host", host)
            self.edits.changes.append(Change(unit.key, "host", activity.host, host))
        listed = {host or activity.host, *activity.participants}
        for code in dict.fromkeys(c for r in readings for c in r.participants):
            if code not in listed:
                name = self.countries[code].name.get(self.languages[0], code)
                self.edits.notes.append(f"{unit.key}: the text names {name} ({code}), which "
                                        "is listed neither as host nor as participant")

    def _contact_plain(self, entry: Entry, where: str) -> None:
        """Telephone, fax, e-mail …: the same in every column; either column may be edited."""
        key = entry.key or ""
        contact_key, field = key.rsplit(".", 1)
        base = self.docx.base_unit(key)
        values = {lang: self._unlabelled(lang, field, entry.texts.get(lang, ""))
                  for lang in self.languages}
        base_values = {lang: self._unlabelled(lang, field, normal(base.texts.get(lang, "")))
                       for lang in self.languages}
        changed = {values[lang] for lang in self.languages if values[lang] != base_values[lang]}
        if not changed:
            return
        if len(changed) > 1:
            shown = ", ".join(f"{lang} “{values[lang]}”" for lang in self.languages)
            self._refuse(entry.row, f"{where}: the columns give different {field} values "
                                    f"({shown}); write the same in both")
            return
        theirs = changed.pop()
        if not theirs:
            self._delete_field(entry.row, contact_key, field, where)
            return
        if not self._valid_field(entry.row, field, theirs, where):
            return
        path = self.contacts[contact_key]
        ours = str(self.editor.node(path).get(field) or "")
        base_value = next(iter(base_values.values()))
        new = self.decider.decide(where, key, field, base_value, ours, theirs)
        if new != ours:
            self.editor.set_value(path, field, new)
            self.edits.changes.append(Change(contact_key, field, ours, new))

    def _unlabelled(self, lang: str, field: str, text: str) -> str:
        label = str(self.labels[lang]["contact"][field])
        text = text.strip()
        return text[len(label):].strip() if text.startswith(label) else text

    def _valid_field(self, row: DocxRow, field: str, value: str, where: str) -> bool:
        pattern, what = _FIELD_PATTERNS[field]
        if pattern.match(value) and (field not in ("telephone", "fax")
                                     or sum(c.isdigit() for c in value) >= 6):
            return True
        self._refuse(row, f"{where}: {field} “{value}” is not {what}")
        return False

    def _contact_field_added(self, entry: Entry) -> bool:
        """A row typed below the contact details that starts with a field's label ("Fax:")
        adds that field to the contact block above it."""
        key = next((row.key for row in reversed(self.docx.rows)
                    if row.number < entry.row.number and row.key), None)
        if key is None or self._kind(key) not in ("contact-field", "contact-plain"):
            return False
        contact_key = key.rsplit(".", 1)[0]
        for field in CONTACT_PLAIN_FIELDS:
            for lang in self.languages:
                label = str(self.labels[lang]["contact"][field])
                if entry.texts.get(lang, "").strip().startswith(label):
                    entry.kind = "contact-plain"
                    entry.key = f"{contact_key}.{field}"
                    where = entry.row.where(self.docx.name)
                    value = self._unlabelled(lang, field, entry.texts[lang])
                    if self._valid_field(entry.row, field, value, where):
                        self.editor.set_value(self.contacts[contact_key], field, value)
                        self.edits.changes.append(Change(contact_key, field, "", value))
                    return True
        return False

    def _kind(self, key: str | None) -> str:
        if key in self.units:
            return self.units[key].kind
        return next((unit.kind for unit in self.docx.base if unit.key == key), "")

    # -- rows added --------------------------------------------------------------------------

    def _new_item(self, entry: Entry) -> dict[str, object] | None:
        where = entry.row.where(self.docx.name)
        texts = {lang: text for lang, text in entry.texts.items() if text}
        section = self.sheet.sections[entry.place.section] if entry.place else None
        prefix = section.key if section is not None else "new"
        if entry.kind == "activity":
            reading = self.reader.read(entry.texts)
            if isinstance(reading, Unreadable):
                self._refuse(entry.row, f"{where}: a new activity, but "
                                        f"{'; '.join(reading.problems)}")
                return None
            key = key_for(reading.start, next(iter(reading.city.values()), ""),
                          self._taken)
            item: dict[str, object] = {"type": "activity", "key": key, **reading.fields(),
                                       "text": texts}
            self.edits.notes += [f"{key}: {note}" for note in reading.notes]
            self.edits.changes.append(Change(key, "", "", f"{describe(reading)} "
                                                          f"(row {entry.row.number})"))
        else:
            key = _unique(f"{prefix}.{_slug(texts)}", self._taken)
            item = {"key": key, "text": texts} if entry.kind == "list-item" else \
                {"type": entry.kind, "key": key, "text": texts}
            self.edits.changes.append(Change(key, "", "", f"new {entry.kind.replace('-', ' ')}"
                                                          f" (row {entry.row.number})"))
        entry.key = key
        self._taken.add(key)
        for lang in self.languages:
            if lang not in texts:
                self.edits.notes.append(f"{key}.{lang}: no text yet; the sheet is a draft "
                                        "until it is translated")
        return item

    # -- rows deleted ------------------------------------------------------------------------

    def _deleted(self, emptied: Sequence[Entry]) -> set[str]:
        """The units whose rows are gone (or emptied); removed only with ``allow_delete``."""
        made_at = {unit.key: index + 2 for index, unit in enumerate(self.docx.base)}
        gone = [(unit.key, unit.kind, None) for unit in self.docx.deleted] + \
            [(entry.key or "", entry.kind, entry.row) for entry in emptied]
        removed: set[str] = set()
        for key, kind, row in gone:
            at = f"row {row.number}" if row else f"row {made_at[key]}"
            where = f"{self.docx.name}: {at} ({key})"
            if kind in _FIXED_KINDS or key.endswith(".organisation"):
                self._refuse(row, f"{where} was deleted; a sheet keeps its title, organisation "
                                  "and section headings (undo the deletion)")
                continue
            if key not in self.units and kind != "contact-plain":
                continue  # already gone from the YAML too
            if not self.allow_delete:
                self._refuse(row, f"{where} was deleted; to remove it from "
                                  f"{self.sheet_file} too, run: python3 generate.py import-docx "
                                  f"{self.docx.name} --allow-delete")
                continue
            if kind in ("contact-plain", "contact-field"):
                contact_key, field = key.rsplit(".", 1)
                self.editor.set_value(self.contacts[contact_key], field, None)
            removed.add(key)
            self.edits.changes.append(Change(key, "", "", f"deleted (was {at})"))
        return removed

    def _delete_field(self, row: DocxRow, contact_key: str, field: str, where: str) -> None:
        if not self.allow_delete:
            self._refuse(row, f"{where}: the {field} was emptied; to remove it from "
                              f"{self.sheet_file} too, run: python3 generate.py import-docx "
                              f"{self.docx.name} --allow-delete")
            return
        self.editor.set_value(self.contacts[contact_key], field, None)
        self.edits.changes.append(Change(f"{contact_key}.{field}", "", "", "deleted"))

    # -- order -------------------------------------------------------------------------------

    def _check_sections(self, entries: Sequence[Entry]) -> None:
        section: int | None = None
        for entry in entries:
            unit = self.units.get(entry.key or "")
            if entry.kind == "heading" and unit is not None:
                section = int(unit.path[1])
            elif unit is not None and entry.place is not None and not entry.is_new \
                    and section is not None and entry.place.section != section:
                heading = self.sheet.sections[section].heading.get(self.languages[0], "")
                self._refuse(entry.row, f"{entry.row.where(self.docx.name)}: moved into the "
                                        f"section “{heading}”; rows move only within their "
                                        "own section")

    def _arrange(self, entries: Sequence[Entry], built: Mapping[int, dict[str, object]],
                 removed: set[str]) -> None:
        """Every list whose items were added, removed or moved, in the DOCX's order; lists
        nested in blocks (a list block's items) before the blocks, whose paths they use."""
        base_row = {unit.key: index + 2 for index, unit in enumerate(self.docx.base)}
        containers: dict[DataPath, list[Entry]] = {}
        for entry in entries:
            if entry.place is None or (entry.row.number in self.refused_rows and entry.is_new):
                continue
            if entry.is_new and id(entry) not in built:
                continue
            containers.setdefault(entry.place.container, []).append(entry)
        for unit in self.units.values():
            place = place_of(unit)
            if place is not None and unit.key in removed:
                containers.setdefault(place.container, [])
        for container in list(containers):
            if container[-1] == "items":
                containers.setdefault(container[:3], [])
        emptied_lists: set[DataPath] = set()
        for container in sorted(containers, key=len, reverse=True):
            placed = containers[container]
            items = list(self.editor.node(container))
            by_key = {str(item.get("key")): item for item in items}
            order: list[Any] = [built[id(entry)] if entry.is_new else by_key[entry.key or ""]
                                for entry in placed
                                if entry.is_new or (entry.key in by_key
                                                    and entry.key not in removed)]
            kept = {id(item) for item in order}
            # Items the DOCX does not show but that stay (their deletion was refused).
            for index, item in enumerate(items):
                if id(item) not in kept and str(item.get("key")) not in removed:
                    order.insert(min(index, len(order)), item)
            order = [item for item in order
                     if not _emptied(item, items, container, emptied_lists)]
            if container[-1] == "items" and not order:
                emptied_lists.add(container[:-1])  # the list block goes with its last item
                continue
            if [id(item) for item in order] == [id(item) for item in items]:
                continue
            moved = moved_rows([(entry.row.number, entry.key or "") for entry in placed
                                if not entry.is_new and entry.key in by_key
                                and entry.key not in removed],
                               {key: base_row.get(key, 0) for key in by_key})
            for number, key in moved:
                self.edits.changes.append(Change(key, "", "", f"moved from row "
                                                              f"{base_row.get(key)} to row "
                                                              f"{number}"))
            self.editor.arrange(container, order, flow=("city",))

    def _refuse(self, row: DocxRow | None, message: str) -> None:
        self.edits.refused.append(message)
        if row is not None:
            self.refused_rows.add(row.number)


def _emptied(item: Any, items: Sequence[Any], container: DataPath,
             emptied_lists: set[DataPath]) -> bool:
    """Whether ``item`` is a list block whose every item was deleted."""
    for index, candidate in enumerate(items):
        if candidate is item:
            return (*container, index) in emptied_lists
    return False


def _slug(texts: Mapping[str, str]) -> str:
    """Up to four words of the first language's text, as a key part."""
    words = slug(next(iter(texts.values()), "")).split("-")
    return "-".join(words[:4]) or "new"


def _unique(key: str, taken: set[str]) -> str:
    candidate, number = key, 2
    while candidate in taken:
        candidate, number = f"{key}-{number}", number + 1
    taken.add(candidate)
    return candidate
