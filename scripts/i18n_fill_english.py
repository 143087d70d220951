"""English msgids are English text: fill the English catalog with them.

Usage: python scripts/i18n_fill_english.py translations/en/LC_MESSAGES/messages.po
"""
import sys

from babel.messages.pofile import read_po, write_po


def main(path: str) -> None:
    with open(path, "rb") as fh:
        catalog = read_po(fh, locale="en")
    for message in catalog:
        if not message.id:
            continue
        message.flags.discard("fuzzy")
        if isinstance(message.id, (list, tuple)):
            message.string = tuple(message.id[i] if i < len(message.id) else message.id[-1]
                                   for i in range(catalog.num_plurals))
        else:
            message.string = message.id
    with open(path, "wb") as fh:
        write_po(fh, catalog, width=100, sort_by_file=True, omit_header=False)


if __name__ == "__main__":
    main(sys.argv[1])
