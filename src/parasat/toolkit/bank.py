"""Load the shipped question bank (``toolkit/bank/``, format in FORMAT.md).

Loading is idempotent: pillars, areas, instruments and provisions are matched by
code or key and updated in place; a questionnaire whose file has not changed is
left alone, one that changed is rewritten, or, when a review already uses it,
gets a new version."""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Model

from parasat.core.lib.translated import TranslatedText
from parasat.toolkit.models import (
    Choice,
    ChoiceList,
    Instrument,
    Pillar,
    PolicyArea,
    Provision,
    Question,
    Questionnaire,
)
from parasat.toolkit.services import save_rows
from parasat.toolkit.xlsform.importer import YES_NO_PARTLY, FormRows

BANK_DIR = Path(__file__).resolve().parent / "bank"
LANGUAGES = ("en", "ru", "kk")
NAME_RE = re.compile(r"^[a-z][a-z0-9_]{2,40}$")
CODE_RE = re.compile(r"^[A-Z]{3}$")
KEY_RE = re.compile(r"^[A-Z0-9][A-Z0-9-]*:[a-z0-9.()\-]+$")
# The reference of Parasat's own paraphrase names a topic and never looks like a
# provision number: lower-case words joined by hyphens, no digit, no roman numeral.
TOPIC_RE = re.compile(r"^[a-z]{3,}(-[a-z]+)*$")
ROMAN_RE = re.compile(r"^[ivxlc]+$")
TYPES = {
    "yes_no_partly": "select_one yes_no_partly",
    "select_one": "select_one {list}",
    "select_multiple": "select_multiple {list}",
    "text": "text",
    "integer": "integer",
    "decimal": "decimal",
    "date": "date",
    "evidence": "file",
}
YES_NO_PARTLY_CHOICES = [
    ("yes", {"en": "Yes", "ru": "Да", "kk": "Иә"}),
    ("partly", {"en": "Partly", "ru": "Частично", "kk": "Ішінара"}),
    ("no", {"en": "No", "ru": "Нет", "kk": "Жоқ"}),
]


class BankInvalid(Exception):
    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass
class BankReport:
    pillars: int = 0
    areas: int = 0
    instruments: int = 0
    provisions: int = 0
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    new_versions: list[str] = field(default_factory=list)
    questions: int = 0
    # questionnaire -> {"questions": n, "en": n, "ru": n, "kk": n} (labels written in each)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)


@dataclass
class _Bank:
    pillars: list[dict] = field(default_factory=list)
    areas: list[dict] = field(default_factory=list)
    instruments: list[dict] = field(default_factory=list)
    provisions: list[dict] = field(default_factory=list)
    questionnaires: list[tuple[str, dict, str]] = field(default_factory=list)  # file, data, sha


def _read(path: Path, errors: list[str]) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        errors.append(f"{path.name}: not valid TOML: {exc}")
        return {}


def _check_text(
    value: Any, where: str, errors: list[str], *, required: bool = True
) -> TranslatedText:
    if value is None or value == {}:
        if required:
            errors.append(f"{where}: missing (a table {{ en = …, ru = …, kk = … }})")
        return TranslatedText()
    if not isinstance(value, dict):
        errors.append(f"{where}: must be a table {{ en = …, ru = …, kk = … }}")
        return TranslatedText()
    missing = [lang for lang in LANGUAGES if not str(value.get(lang, "")).strip()]
    if missing:
        errors.append(f"{where}: no text in {', '.join(missing)}")
    return TranslatedText.fresh({k: str(v) for k, v in value.items() if k in LANGUAGES})


def read_bank(directory: Path = BANK_DIR) -> _Bank:
    """Read and validate every file; raise BankInvalid listing every problem."""
    errors: list[str] = []
    bank = _Bank()
    pillars_file = directory / "pillars.toml"
    if not pillars_file.exists():
        raise BankInvalid([f"{pillars_file}: missing"])
    data = _read(pillars_file, errors)
    bank.pillars = data.get("pillar", [])
    bank.areas = data.get("area", [])
    pillar_codes = set()
    for i, p in enumerate(bank.pillars, 1):
        where = f"pillars.toml: pillar {p.get('code') or i}"
        if not CODE_RE.match(str(p.get("code", ""))):
            errors.append(f"{where}: code must be three capital letters")
        pillar_codes.add(p.get("code"))
        p["_name"] = _check_text(p.get("name"), f"{where}: name", errors)
        p["_description"] = _check_text(p.get("description"), f"{where}: description", errors)
    area_codes = set()
    for i, a in enumerate(bank.areas, 1):
        where = f"pillars.toml: area {a.get('code') or i}"
        if not CODE_RE.match(str(a.get("code", ""))):
            errors.append(f"{where}: code must be three capital letters")
        if a.get("pillar") not in pillar_codes:
            errors.append(f"{where}: unknown pillar {a.get('pillar')!r}")
        area_codes.add(a.get("code"))
        a["_name"] = _check_text(a.get("name"), f"{where}: name", errors)
        a["_description"] = _check_text(a.get("description"), f"{where}: description", errors)

    instrument_files = [
        directory / "instruments.toml",
        *sorted(directory.glob("provisions-*.toml")),
    ]
    for path in instrument_files:
        if not path.exists():
            continue
        data = _read(path, errors)
        for ins in data.get("instrument", []):
            where = f"{path.name}: instrument {ins.get('code', '?')}"
            if ins.get("kind") not in Instrument.Kind.values:
                errors.append(f"{where}: kind must be one of {', '.join(Instrument.Kind.values)}")
            ins["_name"] = _check_text(ins.get("name"), f"{where}: name", errors)
            bank.instruments.append(ins)
        for prov in data.get("provision", []):
            where = f"{path.name}: provision {prov.get('key', '?')}"
            key = str(prov.get("key", ""))
            if not KEY_RE.match(key):
                errors.append(f"{where}: key must look like INSTRUMENT:ref (e.g. UNCAC:art.5(3))")
            elif prov.get("paraphrase", False) not in (True, False):
                errors.append(f"{where}: paraphrase must be true or false")
            elif prov.get("paraphrase"):
                ref = key.split(":", 1)[1]
                if not TOPIC_RE.match(ref) or ROMAN_RE.match(ref):
                    errors.append(
                        f"{where}: a paraphrase is named by its topic (e.g. OECD-COI:disclosure), "
                        "never by something that reads as a provision number"
                    )
            prov["_text"] = _check_text(prov.get("text"), f"{where}: text", errors)
            prov["_file"] = path.name
            bank.provisions.append(prov)
    instrument_codes = {i.get("code") for i in bank.instruments}
    provision_keys: set[str] = set()
    for prov in bank.provisions:
        key = str(prov.get("key", ""))
        if key in provision_keys:
            errors.append(f"{prov['_file']}: provision {key} is defined twice")
        provision_keys.add(key)
        if key.split(":")[0] not in instrument_codes:
            errors.append(f"{prov['_file']}: provision {key}: unknown instrument")

    names: dict[str, str] = {}
    cited: dict[str, list[str]] = {}
    for path in sorted((directory / "areas").glob("*.toml")):
        raw = path.read_bytes()
        data = _read(path, errors)
        if not data:
            continue
        meta = data.get("questionnaire", {})
        where = f"areas/{path.name}"
        if meta.get("area") not in area_codes:
            errors.append(f"{where}: unknown area {meta.get('area')!r}")
        if not meta.get("code"):
            errors.append(f"{where}: the questionnaire has no code")
        meta["_title"] = _check_text(meta.get("title"), f"{where}: title", errors)
        meta["_description"] = _check_text(
            meta.get("description"), f"{where}: description", errors, required=False
        )
        prefix = str(meta.get("area", "")).lower()
        for i, q in enumerate(data.get("question", []), 1):
            qwhere = f"{where}: question {q.get('name') or q.get('code') or i}"
            name = str(q.get("name", ""))
            if not NAME_RE.match(name):
                errors.append(f"{qwhere}: name must match ^[a-z][a-z0-9_]{{2,40}}$")
            elif not name.startswith(prefix):
                errors.append(f"{qwhere}: name must start with {prefix!r}")
            if name in names:
                errors.append(f"{qwhere}: name already used in {names[name]}")
            names[name] = where
            if not re.match(rf"^{meta.get('area')}-\d\d$", str(q.get("code", ""))):
                errors.append(f"{qwhere}: code must look like {meta.get('area')}-01")
            qtype = q.get("type")
            if qtype not in TYPES:
                errors.append(f"{qwhere}: type must be one of {', '.join(TYPES)}")
            q["_label"] = _check_text(q.get("label"), f"{qwhere}: label", errors)
            q["_guidance"] = _check_text(q.get("guidance"), f"{qwhere}: guidance", errors)
            q["_evidence"] = _check_text(q.get("evidence"), f"{qwhere}: evidence", errors)
            q["_hint"] = _check_text(q.get("hint"), f"{qwhere}: hint", errors, required=False)
            q["_constraint_message"] = _check_text(
                q.get("constraint_message"),
                f"{qwhere}: constraint_message",
                errors,
                required=bool(q.get("constraint")),
            )
            provisions = q.get("provisions") or []
            if not provisions:
                errors.append(f"{qwhere}: cites no provision")
            for key in provisions:
                cited.setdefault(key, []).append(f"{where} {q.get('name', i)}")
            choices = q.get("choices") or []
            if qtype in ("select_one", "select_multiple") and not choices:
                errors.append(f"{qwhere}: a {qtype} question needs choices")
            if qtype not in ("select_one", "select_multiple") and choices:
                errors.append(f"{qwhere}: only select_one/select_multiple questions take choices")
            for c in choices:
                c["_label"] = _check_text(
                    c.get("label"), f"{qwhere}: choice {c.get('name', '?')}", errors
                )
        bank.questionnaires.append((path.name, data, hashlib.sha256(raw).hexdigest()))
    missing = sorted(set(cited) - provision_keys)
    if missing:
        errors.append(
            "Provisions cited but defined in no instruments file: "
            + "; ".join(f"{k} (cited by {', '.join(cited[k])})" for k in missing)
        )
    if errors:
        raise BankInvalid(errors)
    return bank


def _bank_rows(data: dict) -> FormRows:
    meta = data["questionnaire"]
    rows = FormRows(
        title=meta["_title"],
        identifier=meta["code"],
        settings={},
        columns={},
        extra={},
    )
    lists: dict[str, list[Choice]] = {}
    for order, q in enumerate(data.get("question", []), 1):
        qtype = q["type"]
        list_name = ""
        if qtype == "yes_no_partly":
            list_name = YES_NO_PARTLY
            lists.setdefault(
                list_name,
                [
                    Choice(order=i, name=n, label=TranslatedText.fresh(label))
                    for i, (n, label) in enumerate(YES_NO_PARTLY_CHOICES, 1)
                ],
            )
        elif qtype in ("select_one", "select_multiple"):
            list_name = q["name"]
            lists[list_name] = [
                Choice(order=i, name=str(c["name"]), label=c["_label"])
                for i, c in enumerate(q["choices"], 1)
            ]
        kind = Question.Kind.EVIDENCE if qtype == "evidence" else qtype
        question = Question(
            order=order,
            type=TYPES[qtype].format(list=list_name),
            kind=kind,
            name=q["name"],
            code=q["code"],
            label=q["_label"],
            hint=q["_hint"],
            guidance=q["_guidance"],
            evidence=q["_evidence"],
            required="yes" if q.get("required") else "",
            relevant=q.get("relevant", ""),
            constraint=q.get("constraint", ""),
            constraint_message=q["_constraint_message"],
        )
        if list_name:
            rows.list_names[order] = list_name
        rows.questions.append(question)
        rows.provision_keys[order] = list(q["provisions"])
    for name, choices in lists.items():
        rows.lists.append(ChoiceList(name=name))
        rows.choices[name] = choices
    return rows


def _stored(obj: Model, name: str) -> Any:
    """The value of field ``name`` as compared: a relation by its id (no query)."""
    field = obj._meta.get_field(name)
    value = getattr(obj, field.attname)
    return value.to_json() if isinstance(value, TranslatedText) else value


def _wanted(value: Any) -> Any:
    if isinstance(value, Model):
        return value.pk
    return value.to_json() if isinstance(value, TranslatedText) else value


def _upsert(model: type[Model], key: str, rows: dict[str, dict[str, Any]]) -> dict[str, Model]:
    """Create the rows missing, update those that differ, leave the others: a
    query or two per table, not a few per row (the shipped bank has hundreds of
    provisions). The rows by key, as ``update_or_create`` would have left them."""
    existing = {getattr(o, key): o for o in model.objects.filter(**{f"{key}__in": rows})}
    new, changed, fields = [], [], set()
    for value, defaults in rows.items():
        obj = existing.get(value)
        if obj is None:
            existing[value] = obj = model(**{key: value}, **defaults)
            new.append(obj)
            continue
        differ = {
            name for name, wanted in defaults.items() if _stored(obj, name) != _wanted(wanted)
        }
        for name in differ:
            setattr(obj, name, defaults[name])
        if differ:
            changed.append(obj)
            fields |= differ
    model.objects.bulk_create(new, batch_size=500)
    if changed:
        model.objects.bulk_update(changed, sorted(fields), batch_size=500)
    return {value: existing[value] for value in rows}


@transaction.atomic
def load_bank(directory: Path = BANK_DIR) -> BankReport:
    """Validate the bank and load it; nothing is written when it is invalid."""
    bank = read_bank(directory)
    report = BankReport()
    pillars = _upsert(
        Pillar,
        "code",
        {
            p["code"]: {"order": p["order"], "name": p["_name"], "description": p["_description"]}
            for p in bank.pillars
        },
    )
    areas = _upsert(
        PolicyArea,
        "code",
        {
            a["code"]: {
                "pillar": pillars[a["pillar"]],
                "order": a["order"],
                "name": a["_name"],
                "description": a["_description"],
            }
            for a in bank.areas
        },
    )
    instruments = _upsert(
        Instrument,
        "code",
        {
            ins["code"]: {
                "kind": ins["kind"],
                "year": ins.get("year"),
                "publisher": ins.get("publisher", ""),
                "url": ins.get("url", ""),
                "name": ins["_name"],
            }
            for ins in bank.instruments
        },
    )
    _upsert(
        Provision,
        "key",
        {
            prov["key"]: {
                "instrument": instruments[prov["key"].split(":", 1)[0]],
                "ref": prov["key"].split(":", 1)[1],
                "url": prov.get("url", ""),
                "text": prov["_text"],
                "is_paraphrase": bool(prov.get("paraphrase", False)),
            }
            for prov in bank.provisions
        },
    )
    report.pillars, report.areas = len(pillars), len(areas)
    report.instruments, report.provisions = len(instruments), len(bank.provisions)
    for filename, data, sha in bank.questionnaires:
        meta = data["questionnaire"]
        identifier = meta["code"]
        questions = data.get("question", [])
        report.questions += len(questions)
        report.counts[identifier] = {"questions": len(questions)} | {
            lang: sum(1 for q in questions if q["_label"].get(lang)) for lang in LANGUAGES
        }
        versions = Questionnaire.objects.filter(identifier=identifier).order_by("-version")
        latest = versions.first()
        last_loaded = versions.filter(source=Questionnaire.Source.BANK).first()
        # Compare with what the bank loaded last: a newer version someone imported
        # or copied since is theirs, and an unchanged file leaves it the newest.
        if last_loaded is not None and last_loaded.extra.get("bank_sha") == sha:
            report.unchanged.append(identifier)
            continue
        fields = {
            "area": areas[meta["area"]],
            "title": meta["_title"],
            "description": meta["_description"],
            "source": Questionnaire.Source.BANK,
            "source_name": f"areas/{filename}",
            "extra": {"bank_sha": sha, "bank_file": filename},
        }
        if latest is not None and latest == last_loaded and not latest.frozen:
            latest.questions.all().delete()
            latest.choice_lists.all().delete()
            for key, value in fields.items():
                setattr(latest, key, value)
            latest.save()
            questionnaire = latest
            report.updated.append(identifier)
        else:
            version = latest.version + 1 if latest else int(meta.get("version", 1))
            questionnaire = Questionnaire.objects.create(
                identifier=identifier, version=version, parent=latest, **fields
            )
            (report.new_versions if latest else report.created).append(identifier)
        save_rows(questionnaire=questionnaire, rows=_bank_rows(data))
    return report
