"""A province onboards from spreadsheets: units, officers and routing rules imported from CSV, with a
dry run that shows what would change and what the rule check finds before anything is written.

Each row is checked by the same builders as the single-record routes (processing.administration),
so a CSV row and a PUT body obey one set of rules; the rule check is the one PUT /coordinator/rules
runs (administration.rule_problems), over every field, on the current rules with the imported ones
laid over them. Rows add or change records; an import deletes nothing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from phananh.ports import Ports
from phananh.processing import administration
from phananh.processing.policy import require_coordinator
from phananh.processing.principal import Principal
from phananh.report.categories import all_categories
from phananh.routing.directory import Officer, Unit
from phananh.routing.geo import load_wards
from phananh.routing.rules import ANY_WARD, RoutingRule
from phananh.shared.errors import DomainError, InvalidInput, Refused, Text, bilingual
from phananh.shared.errors import invalid_field as _invalid
from phananh.shared.settings import Settings

CSV_MAX_BYTES = 256 * 1024
CSV_ROWS_MAX = 5000
# Each officer written makes a Cognito sign-in (several admin calls, rate-limited by Cognito): an
# import stays within one request's time with a few hundred of them.
OFFICER_ROWS_MAX = 500
# The request carries up to three CSV texts as JSON strings (escaping may lengthen them).
BODY_MAX_BYTES = 1024 * 1024
UNIT_COLUMNS = ("unit_id", "name_vi", "name_en", "kind", "ward_code", "parent_unit_id", "email", "phone", "active")
OFFICER_COLUMNS = ("officer_id", "unit_id", "full_name", "email", "phone", "role")
RULE_COLUMNS = ("category_code", "ward_code", "unit_id")
FILES: dict[str, tuple[str, tuple[str, ...]]] = {
    "units": ("units_csv", UNIT_COLUMNS),
    "officers": ("officers_csv", OFFICER_COLUMNS),
    "rules": ("rules_csv", RULE_COLUMNS),
}
_BODY_FIELDS = {"dry_run", *(field for field, _ in FILES.values())}
# The builders name nested fields by their JSON path; the CSV has a column for each.
_COLUMN_OF_FIELD = {"name.vi": "name_vi", "name.en": "name_en"}
_BOOLEANS = {"true": True, "false": False}


@dataclass(frozen=True)
class Row:
    file: str
    line: int
    """The line the record starts on (the header is line 1)."""
    cells: dict[str, str]


class RowErrors:
    """The problems found, each naming the file, line and column it is about."""

    def __init__(self) -> None:
        self.listed: list[dict[str, Any]] = []

    def add(self, file: str, line: int, field: str | None, code: str, message: Text) -> None:
        self.listed.append({"file": file, "line": line, "field": field, "code": code, "message": message})

    def add_refusal(self, row: Row, error: DomainError) -> None:
        field = error.details.get("field")
        self.add(row.file, row.line, _COLUMN_OF_FIELD.get(field, field), error.code, error.message)

    def checked(self, row: Row, build: Callable[[], Any]) -> Any | None:
        """What `build` makes of the row, or None with its refusal listed."""
        try:
            return build()
        except InvalidInput as error:
            self.add_refusal(row, error)
            return None


# Reading


def import_request(body: dict[str, Any]) -> tuple[bool, dict[str, str]]:
    """The dry-run flag and the CSV texts given, checked for form (a 400 otherwise)."""
    unknown = sorted(set(body) - _BODY_FIELDS)
    if unknown:
        raise _invalid("unknown_field", unknown[0], f"Không có trường '{unknown[0]}'.", f"No field '{unknown[0]}'.")
    dry_run = body.get("dry_run")
    if not isinstance(dry_run, bool):
        raise _invalid(
            "invalid_type", "dry_run", "'dry_run' phải là true hoặc false.", "'dry_run' must be true or false."
        )
    texts = {}
    for file, (field, _) in FILES.items():
        text = body.get(field)
        if text is None:
            continue
        if not isinstance(text, str):
            raise _invalid("invalid_type", field, f"'{field}' phải là văn bản CSV.", f"'{field}' must be CSV text.")
        if len(text.encode("utf-8", "surrogatepass")) > CSV_MAX_BYTES:
            raise _invalid(
                "csv_too_large", field, f"'{field}' vượt quá {CSV_MAX_BYTES // 1024} KB.",
                f"'{field}' is larger than {CSV_MAX_BYTES // 1024} KB.",
            )
        texts[file] = text
    if not texts:
        raise InvalidInput(
            "nothing_to_import",
            bilingual("Cần ít nhất một tệp CSV: units_csv, officers_csv hoặc rules_csv.",
                      "Give at least one CSV: units_csv, officers_csv or rules_csv."),
        )
    return dry_run, texts


def read_csv(file: str, text: str, errors: RowErrors) -> list[Row]:
    """The records of one CSV text under its header, strictly: exactly the file's columns (in any
    order), every record as wide as the header, at most CSV_ROWS_MAX of them (OFFICER_ROWS_MAX
    officers). Blank lines are skipped; what cannot be read is listed in `errors` and its rows left out."""
    columns = FILES[file][1]
    rows_max = OFFICER_ROWS_MAX if file == "officers" else CSV_ROWS_MAX
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), strict=True)
    rows: list[Row] = []
    header: list[str] | None = None
    try:
        line = 1
        for record in reader:
            start, line = line, reader.line_num + 1
            if not any(cell.strip() for cell in record):
                continue
            if header is None:
                header = [cell.strip() for cell in record]
                if not _header_fits(file, start, header, columns, errors):
                    return []
                continue
            if len(rows) == rows_max:
                errors.add(file, start, None, "too_many_rows", bilingual(
                    f"Tối đa {rows_max} dòng trong tệp này.", f"At most {rows_max} rows in this file."))
                return rows
            if len(record) != len(header):
                errors.add(file, start, None, "wrong_column_count", bilingual(
                    f"Dòng có {len(record)} cột, tiêu đề có {len(header)}.",
                    f"The row has {len(record)} columns, the header {len(header)}."))
                continue
            rows.append(Row(file, start, {name: cell.strip() for name, cell in zip(header, record, strict=True)}))
    except csv.Error as error:
        errors.add(file, reader.line_num or 1, None, "invalid_csv", bilingual(
            f"Không đọc được CSV: {error}.", f"Not readable as CSV: {error}."))
        return rows
    if header is None:
        errors.add(file, 1, None, "missing_header", bilingual("Tệp trống, thiếu tiêu đề.", "Empty file: no header."))
    return rows


def _header_fits(file: str, line: int, header: list[str], columns: tuple[str, ...], errors: RowErrors) -> bool:
    before = len(errors.listed)
    seen: set[str] = set()
    for name in header:
        if name in seen:
            errors.add(file, line, name, "duplicate_column", bilingual(
                f"Cột '{name}' lặp lại.", f"Column '{name}' appears twice."))
        elif name not in columns:
            errors.add(file, line, name, "unknown_column", bilingual(
                f"Không có cột '{name}'; các cột: {', '.join(columns)}.",
                f"No column '{name}'; the columns are: {', '.join(columns)}."))
        seen.add(name)
    for name in columns:
        if name not in seen:
            errors.add(file, line, name, "missing_column", bilingual(
                f"Thiếu cột '{name}'.", f"Column '{name}' is missing."))
    return len(errors.listed) == before


def _optional(value: str) -> str | None:
    return value or None


def _unique(rows: list[Row], key: Callable[[Row], Any], field: str, errors: RowErrors) -> Iterator[Row]:
    """Rows whose key no earlier row had; the repeats listed."""
    seen: dict[Any, int] = {}
    for row in rows:
        earlier = seen.setdefault(key(row), row.line)
        if earlier != row.line:
            errors.add(row.file, row.line, field, "duplicate_row", bilingual(
                f"Trùng với dòng {earlier}.", f"Repeats line {earlier}."))
            continue
        yield row


# Building records


def _units(rows: list[Row], current: dict[str, Unit], errors: RowErrors) -> list[Unit]:
    listed = {row.cells["unit_id"] for row in rows}
    units = []
    for row in _unique(rows, lambda row: row.cells["unit_id"], "unit_id", errors):
        cells = row.cells
        active = _BOOLEANS.get(cells["active"].lower()) if cells["active"] else None
        if cells["active"] and active is None:
            errors.add(row.file, row.line, "active", "invalid_choice", bilingual(
                "'active' phải là true hoặc false.", "'active' must be true or false."))
            continue
        body = {
            "name": {"vi": cells["name_vi"], "en": cells["name_en"]}, "kind": cells["kind"],
            "ward_code": _optional(cells["ward_code"]), "parent_unit_id": _optional(cells["parent_unit_id"]),
            "email": cells["email"], "phone": cells["phone"],
            **({} if active is None else {"active": active}),
        }
        unit = errors.checked(row, lambda cells=cells, body=body: administration.build_unit(
            cells["unit_id"], body, current_of=current.get,
            exists=lambda unit_id: unit_id in listed or unit_id in current,
        ))
        if unit is not None:
            units.append(unit)
    return units


def _officers(rows: list[Row], unit_exists: Callable[[str], bool], errors: RowErrors) -> list[Officer]:
    officers = []
    for row in _unique(rows, lambda row: row.cells["officer_id"], "officer_id", errors):
        cells = row.cells
        officer = errors.checked(row, lambda cells=cells: administration.build_officer(
            cells["officer_id"], {name: cells[name] for name in OFFICER_COLUMNS[1:]}, unit_exists=unit_exists,
        ))
        if officer is not None:
            officers.append(officer)
    return officers


def _rules(rows: list[Row], unit_exists: Callable[[str], bool], *, settings: Settings,
           errors: RowErrors) -> list[RoutingRule]:
    """The rules of the rows; two rows for one (field, ward) with different units are both kept,
    so that the rule check shows the overlap."""
    wards = load_wards(settings.wards_geojson_path)
    rules = []
    for row in _unique(rows, lambda row: tuple(row.cells[name] for name in RULE_COLUMNS), "unit_id", errors):
        cells = row.cells
        rule = errors.checked(row, lambda cells=cells: administration.build_rule(
            cells["category_code"], cells["ward_code"], cells["unit_id"]))
        if rule is None:
            continue
        if rule.ward_code != ANY_WARD and wards.get(rule.ward_code) is None:
            errors.add(row.file, row.line, "ward_code", "unknown_ward", bilingual(
                f"Không có xã, phường {rule.ward_code} trong địa bàn.",
                f"No ward {rule.ward_code} in the service area."))
        elif not unit_exists(rule.unit_id):
            errors.add(row.file, row.line, "unit_id", "unknown_unit", bilingual(
                f"Không có đơn vị {rule.unit_id}.", f"No unit {rule.unit_id}."))
        else:
            rules.append(rule)
    return rules


# The diff


def _current_officers(officers: list[Officer], ports: Ports) -> dict[str, Officer | None]:
    """The imported officers as the directory has them now: read unit by unit (one query each), and
    by id only for one not found there (moving to another unit, or new)."""
    known: dict[str, Officer] = {}
    for unit_id in sorted({officer.unit_id for officer in officers}):
        known.update((officer.officer_id, officer) for officer in ports.directory.officers_of(unit_id))
    return {
        officer.officer_id: known.get(officer.officer_id) or ports.directory.officer(officer.officer_id)
        for officer in officers
    }


def _officer_record(officer: Officer) -> dict[str, Any]:
    """An officer as the diff compares them: when their sign-in was made is not imported."""
    return {name: value for name, value in asdict(officer).items() if name != "credentials_since"}


def _as_record(current: Any, record: Callable[[Any], dict[str, Any]]) -> dict[str, Any] | None:
    return None if current is None else record(current)


def _rule_id(rule: RoutingRule) -> str:
    return f"{rule.category_code}/{rule.ward_code}"


def _diff(records: list[tuple[str, dict[str, Any], dict[str, Any] | None]]) -> dict[str, Any]:
    """(id, as imported, as now) → what is added, what changes and how many stay as they are."""
    added, changed, unchanged = [], [], 0
    for record_id, after, before in records:
        if before is None:
            added.append(after)
        elif before != after:
            changed.append({"id": record_id, "before": before, "after": after})
        else:
            unchanged += 1
    return {"added": added, "changed": changed, "unchanged": unchanged}


# The use case


def import_directory(principal: Principal, body: dict[str, Any], *, ports: Ports, settings: Settings,
                     now: datetime) -> dict[str, Any]:
    """POST /coordinator/import: check the CSV texts, show the diff and the rule check, and unless
    it is a dry run write them — refused as a whole (`Refused` "import_refused", nothing written)
    when any row has an error or the rules would have a gap or an overlap."""
    require_coordinator(principal)
    dry_run, texts = import_request(body)
    errors = RowErrors()
    rows = {file: read_csv(file, texts[file], errors) if file in texts else [] for file in FILES}

    # The units table is a small reference table: read once, not once per row.
    current_units = {unit.unit_id: unit for unit in ports.directory.units()}
    units = _units(rows["units"], current_units, errors)
    imported_units = {unit.unit_id: unit for unit in units}

    def unit_exists(unit_id: str) -> bool:
        return unit_id in imported_units or unit_id in current_units

    officers = _officers(rows["officers"], unit_exists, errors)
    rules = _rules(rows["rules"], unit_exists, settings=settings, errors=errors)

    current_rules = {
        rule.key: rule for category in all_categories() for rule in ports.directory.rules_for(category.code)
    }
    imported_keys = {rule.key for rule in rules}
    after_rules = [rule for key, rule in current_rules.items() if key not in imported_keys] + rules
    known_units = current_units | imported_units
    problems = administration.rule_problems(after_rules, all_categories(), units=known_units, settings=settings)
    rule_check = {
        "gaps": [{"kind": p.kind, "text": p.text} for p in problems if p.kind == "gap"],
        "overlaps": [{"kind": p.kind, "text": p.text} for p in problems if p.kind == "overlap"],
    }
    # In reading order: file by file, line by line (reading and building find them in two passes).
    errors.listed.sort(key=lambda error: (list(FILES).index(error["file"]), error["line"]))
    current_officers = _current_officers(officers, ports)
    result = {
        "dry_run": dry_run,
        "applied": False,
        "diff": {
            "units": _diff([(unit.unit_id, asdict(unit), _as_record(current_units.get(unit.unit_id), asdict))
                             for unit in units]),
            "officers": _diff([
                (officer.officer_id, _officer_record(officer),
                 _as_record(current_officers[officer.officer_id], _officer_record))
                for officer in officers
            ]),
            "rules": _diff([
                (_rule_id(rule), asdict(rule), asdict(current_rules[rule.key]) if rule.key in current_rules else None)
                for rule in rules
            ]),
        },
        "rule_check": rule_check,
        "errors": errors.listed,
    }
    if dry_run:
        return result
    if errors.listed or rule_check["gaps"] or rule_check["overlaps"]:
        raise Refused(
            "import_refused",
            bilingual("Không nhập: còn lỗi hoặc khoảng trống trong quy tắc phân công. Chưa ghi gì.",
                      "Not imported: there are errors, or the routing rules would have a gap. Nothing was written."),
            details=result,
        )
    _write(units, officers, rules, current_officers, ports=ports, now=now)
    return {**result, "applied": True}


def _write(units: list[Unit], officers: list[Officer], rules: list[RoutingRule],
           current_officers: dict[str, Officer | None], *, ports: Ports, now: datetime) -> None:
    """Units first (officers and rules name them), each new one with its topic; then officers, each
    with a sign-in made as PUT /coordinator/officers makes it; then the rules."""
    if units:
        ports.directory.put_units([administration.with_topic(unit, ports=ports) for unit in units])
    if officers:
        ports.directory.put_officers([
            administration.enrol(officer, current_officers[officer.officer_id], ports=ports, now=now)
            for officer in officers
        ])
    if rules:
        ports.directory.put_rules(rules)

