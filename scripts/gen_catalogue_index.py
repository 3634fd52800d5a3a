"""Write the name index beside each built-in catalogue (`cwa_query/data/*_schema.names.txt`,
`*_schema.paths.txt`).

Run from the project root after a catalogue changes (`scripts/gen_automate_schema.py`,
`scripts/gen_manage_schema.py`, or the seed catalogue edited by hand):

    python scripts/gen_catalogue_index.py

An index holds a catalogue's endpoints and its field names merged over all endpoints (see
`cwa_query.schema.index_data`): the linter reads it to say whether another dialect's
catalogue knows a field, and to suggest a field over all endpoints, without reading the
catalogue itself; and where each endpoint's fields stand in the catalogue's text
(`cwa_query.schema.layout`), so that loading it decodes only the endpoints asked for; and
each endpoint's paths (`cwa_query.schema.paths_text`), so that a lookup over all endpoints
decodes only those that have the path.
`tests/schema/test_name_index.py` fails when an index is not what this script writes from
the catalogue beside it.
"""

from __future__ import annotations

import os
import sys

from cwa_query.dialects import catalogue_file, dialect_names
from cwa_query.schema import _DATA, catalogue_text, index_text, names_file, paths_file, paths_text, read_catalogue


def main() -> int:
    for name in dialect_names():
        schema_file = catalogue_file(name)[1]
        if schema_file is None:
            continue
        schema = read_catalogue(schema_file)
        written = {
            names_file(schema_file): index_text(schema, schema_file, catalogue_text(schema_file)),
            paths_file(schema_file): paths_text(schema, schema_file),
        }
        for file, text in written.items():
            target = os.path.join(_DATA, file)
            with open(target, "w", encoding="utf-8", newline="\n") as out:
                out.write(text)
            print(f"{target}: {len(text):,} characters")
    return 0


if __name__ == "__main__":
    sys.exit(main())
