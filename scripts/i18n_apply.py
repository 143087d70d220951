"""Fill a catalog's translations from a JSON file or from another catalog.

    python scripts/i18n_apply.py translations/lt/LC_MESSAGES/messages.po --json lt.json
    python scripts/i18n_apply.py translations/lt/LC_MESSAGES/messages.po --from-po other.po

JSON maps a msgid (the singular for plurals) to its translation, or to a list of the
plural forms (three in Lithuanian: 1 parašas, 2 parašai, 10 parašų). Only entries
present in the catalog are filled; the script prints what is still untranslated.
"""
import argparse
import json

from babel.messages.pofile import read_po, write_po


def _key(message_id):
    return message_id[0] if isinstance(message_id, (list, tuple)) else message_id


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("po")
    parser.add_argument("--json")
    parser.add_argument("--from-po", action="append", default=[])
    parser.add_argument("--overwrite", action="store_true")
    args = parser.parse_args()
    with open(args.po, "rb") as fh:
        catalog = read_po(fh)
    source: dict = {}
    for other in args.from_po:
        with open(other, "rb") as fh:
            for m in read_po(fh):
                if m.id and m.string and "fuzzy" not in m.flags and (
                        all(m.string) if isinstance(m.string, tuple) else True):
                    source[_key(m.id)] = list(m.string) if isinstance(m.string, tuple) else m.string
    if args.json:
        with open(args.json, encoding="utf-8") as fh:
            source.update(json.load(fh))
    missing = []
    for m in catalog:
        if not m.id:
            continue
        has = all(m.string) if isinstance(m.string, tuple) else bool(m.string)
        value = source.get(_key(m.id))
        if value is not None and (args.overwrite or not has or "fuzzy" in m.flags):
            if isinstance(m.id, (list, tuple)):
                forms = value if isinstance(value, list) else [value] * catalog.num_plurals
                m.string = tuple(forms[: catalog.num_plurals])
            else:
                m.string = value if isinstance(value, str) else value[0]
            m.flags.discard("fuzzy")
            has = True
        if not has:
            missing.append(_key(m.id))
    with open(args.po, "wb") as fh:
        write_po(fh, catalog, width=100, sort_by_file=True)
    for msgid in missing:
        print("untranslated:", json.dumps(msgid, ensure_ascii=False))
    print(f"{len(missing)} untranslated")


if __name__ == "__main__":
    main()
