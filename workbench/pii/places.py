"""Postal addresses and places (type ``LOCATION``): street patterns, postcodes, a city list.

Rules, no model: a street address is a house number and capitalised words ending in a street
word (``1420 Maple Avenue``, ``Flat 3, 14 Rosebery Road``), a German street word with its
number (``Lindenallee 5a``), or a French street type after a number (``12 rue de la Paix``);
whatever follows it that an address carries (a unit, a city, a state, a ZIP or postcode) joins
the span. Cities alone are taken after a place cue in prose (``lives in``, ``moved to``,
``office in``) when they are in the list below; other place names in prose are left to the
shipped prose model (``ner``). The list is written for this project and holds large and
well-known cities only.
"""
from __future__ import annotations

import re

from .names import words
from .trie import trie_pattern

LOCATION = "LOCATION"

_L = r"[^\W\d_]"                     # a letter of any script
_CAPSTEM = rf"[A-ZÀ-ÖØ-ÞĀ-ſ]{_L}+?"
_CAPW = rf"[A-ZÀ-ÖØ-ÞĀ-ſ]{_L}+(?:['’\-]{_L}+)*(?![\w])"
_US_UK_STREET = (r"Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|"
                 r"Place|Pl|Way|Terrace|Ter|Circle|Cir|Parkway|Pkwy|Highway|Hwy|Trail|Trl|"
                 r"Square|Sq|Loop|Close|Crescent|Cres|Gardens|Gdns|Grove|Mews|Row|Hill|Walk|"
                 r"Broadway|Plaza|Alley|Pike|Path")
_UNIT = r"(?:,?[ \t]+(?:Apt|Apartment|Suite|Ste|Unit|Fl|Floor|Room|Rm|Bldg)\.?[ \t]*#?[ \t]*\w{1,6}|[ \t]*#[ \t]*\w{1,6})"
_UK_POSTCODE = r"[A-Z]{1,2}\d[A-Z\d]?[ \t]?\d[A-Z]{2}"
_CITY = rf"{_CAPW}(?:[ \-]{_CAPW}){{0,2}}"
# what may follow a street: ", City, ST 12345", ", City ST1 2AB", ", City", ", 12345 City"
_TAIL = (rf"(?:,[ \t]*(?:{_UK_POSTCODE}|(?:{_CITY})(?:,?[ \t]+(?:[A-Z]{{2}}[ \t]+)?\d{{5}}(?:-\d{{4}})?"
         rf"|,[ \t]*[A-Z]{{2}}(?![a-z])(?:[ \t]+\d{{5}}(?:-\d{{4}})?)?|[ \t]+{_UK_POSTCODE})?"
         rf"|\d{{5}}[ \t]+{_CITY}))?")
_US_UK = re.compile(
    rf"(?<![\w\-./])(?:(?:Flat|Apartment|Unit)[ \t]+\d{{1,4}}[A-Z]?,[ \t]*)?\d{{1,6}}[A-Z]?[ \t]+"
    rf"(?:(?:[NSEW]\.?|North|South|East|West)[ \t]+)?(?:{_CAPW}[ \t]+){{1,3}}"
    rf"(?:{_US_UK_STREET})\.?(?![\w\-])(?:{_UNIT})?{_TAIL}")
_DE = re.compile(
    rf"(?<![\w\-])(?:{_CAPSTEM}(?:stra(?:ß|ss)e|str\.|weg|allee|platz|gasse|ring|damm|ufer|"
    rf"chaussee|steig|pfad)|{_CAPW}[ \t]+(?:Straße|Strasse|Str\.|Weg|Allee|Platz|Gasse|Ring|Damm))"
    rf"[ \t]+\d{{1,4}}[ \t]?[a-z]?(?![\w\-])(?:,[ \t]*\d{{5}}[ \t]+{_CITY})?")
_FR = re.compile(
    rf"(?<![\w\-./])\d{{1,4}}(?:[ \t]?(?:bis|ter))?,?[ \t]+(?:rue|avenue|av\.|boulevard|bd|place|"
    rf"allée|chemin|impasse|quai|cours|route|square)[ \t]+"
    rf"(?:(?:de[ \t]+la|de[ \t]+l['’]|du|des|de|d['’]|la|le|les)[ \t]*)?{_CAPW}"
    rf"(?:[ \t]+(?:de[ \t]+|du[ \t]+|des[ \t]+)?{_CAPW}){{0,3}}(?:,[ \t]*\d{{5}}[ \t]+{_CITY})?")
_PO_BOX = re.compile(r"(?i)\bP\.?[ \t]?O\.?[ \t]+Box[ \t]+\d{1,6}\b")
# a cheap test before the address patterns run: a street word or a postcode-and-city
# cheap tests before the address patterns run (separate searches: a single alternation of them
# costs more, as ``re`` cannot skip ahead to a first character): a number before two
# capitalised words, a German street word before a number, a French street type, a PO box
_DE_WORDS = ["straße", "strasse", "Straße", "Strasse", "str.", "Str.", "weg", "Weg", "allee",
             "Allee", "platz", "Platz", "gasse", "Gasse", "ring", "Ring", "damm", "Damm"]
_FR_WORDS = ["rue", "avenue", "av.", "boulevard", "bd", "place", "allée", "chemin", "impasse",
             "quai", "cours", "route"]
_ANCHORS = (
    re.compile(r"\d[A-Z]?[ \t]+(?:[NSEW]\.[ \t]+)?[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]+[ \t]+[A-ZÀ-ÖØ-Þ]"),
    re.compile(trie_pattern(sorted(_DE_WORDS)) + r"[ \t]+\d"),
    re.compile(r"[ \t]" + trie_pattern(sorted(_FR_WORDS)) + r"[ \t]"),
    re.compile(r"P\.?[ \t]?O\.?[ \t]+Box|PO[ \t]+BOX"),
)


def anchored(text: str) -> bool:
    """Return True when ``text`` may hold a street address (any anchor occurs)."""
    return any(rx.search(text) for rx in _ANCHORS)


CITIES: frozenset[str] = frozenset(c.lower() for c in """
Springfield|Portland|Denver|Austin|Boston|Chicago|Seattle|Atlanta|Phoenix|Houston|Dallas|Miami|
Detroit|Minneapolis|Baltimore|Sacramento|Pittsburgh|Cleveland|Nashville|Raleigh|Philadelphia|
Washington|Orlando|Tampa|Charlotte|Columbus|Indianapolis|Milwaukee|Memphis|Louisville|Richmond|
Oakland|Honolulu|Anchorage|Omaha|Tulsa|Cincinnati|Buffalo|Newark|Jersey City|Salt Lake City|
Kansas City|Oklahoma City|New York|Los Angeles|San Francisco|San Diego|San Jose|Las Vegas|
New Orleans|London|Manchester|Birmingham|Leeds|Glasgow|Edinburgh|Bristol|Liverpool|Cardiff|
Belfast|Sheffield|Nottingham|Leicester|Newcastle|Brighton|Cambridge|Oxford|Southampton|York|
Berlin|Hamburg|München|Munich|Köln|Cologne|Frankfurt|Stuttgart|Leipzig|Dresden|Düsseldorf|
Dortmund|Essen|Bonn|Mannheim|Paris|Lyon|Marseille|Toulouse|Bordeaux|Lille|Nantes|Strasbourg|
Nice|Madrid|Barcelona|Seville|Sevilla|Málaga|Lisbon|Lisboa|Porto|Rome|Roma|Milan|Milano|Naples|
Turin|Torino|Florence|Venice|Amsterdam|Rotterdam|The Hague|Eindhoven|Brussels|Antwerp|Ghent|
Vienna|Wien|Zurich|Zürich|Geneva|Basel|Bern|Stockholm|Oslo|Bergen|Copenhagen|Helsinki|Warsaw|
Prague|Budapest|Bucharest|Sofia|Athens|Istanbul|Ankara|Dublin|Cork|Reykjavik|Riga|Vilnius|
Tallinn|Kyiv|Toronto|Vancouver|Montreal|Calgary|Edmonton|Winnipeg|Quebec City|Sydney|
Melbourne|Perth|Adelaide|Canberra|Auckland|Wellington|Christchurch|Mumbai|Delhi|New Delhi|
Bangalore|Bengaluru|Chennai|Hyderabad|Kolkata|Ahmedabad|Karachi|Lahore|Dhaka|Colombo|
Kathmandu|Lagos|Abuja|Nairobi|Accra|Johannesburg|Cape Town|Pretoria|Cairo|Casablanca|
Tunis|Algiers|Addis Ababa|Kampala|Kigali|Dar es Salaam|Dakar|Dubai|Abu Dhabi|Doha|Riyadh|
Jeddah|Tel Aviv|Jerusalem|Beirut|Amman|Tehran|Baghdad|Singapore|Kuala Lumpur|Bangkok|Hanoi|
Ho Chi Minh City|Manila|Jakarta|Tokyo|Osaka|Yokohama|Nagoya|Sapporo|Seoul|Beijing|Shanghai|
Shenzhen|Guangzhou|Hong Kong|Taipei|Mexico City|Guadalajara|Monterrey|São Paulo|Sao Paulo|
Rio de Janeiro|Brasília|Buenos Aires|Santiago|Bogotá|Bogota|Lima|Quito|Caracas|Montevideo|
Havana|Panama City|San Juan""".replace("\n", "").split("|"))
# place cues before a city in prose: "lives in", "moved to", "our office in", "flying from"
_CITY_CUE = re.compile(
    r"(?i)(?:\b(?:in|to|from|near|at|visiting|around|outside|via)|based[ \t]+in|lives?[ \t]+in|"
    r"living[ \t]+in|moved[ \t]+to|relocat(?:ed|ing)[ \t]+to|born[ \t]+in|office[ \t]+in|"
    r"our)[ \t]+$")
_CAP_PHRASE = re.compile(rf"(?<![\w\-]){_CAPW}(?:[ \t]+(?:de[ \t]+)?{_CAPW}){{0,2}}")

# keys whose values hold an address, a city or a postcode
_ADDRESS_KEYS = words("""address addr street streetaddress addressline addressline1 addressline2
line1 line2 address1 address2 shippingaddress billingaddress homeaddress mailingaddress
postaladdress deliveryaddress residentialaddress physicaladdress streetname strasse adresse
lieferadresse rechnungsadresse""")
_CITY_KEYS = words("city town ort ville stadt municipality locality hometown birthplace")
_POSTCODE_KEYS = words("postcode postalcode zip zipcode plz codepostal")
_HEXISH = re.compile(r"^(?:0x)?[0-9a-fA-F:.\-]+$")


def key_entity(k: str) -> str | None:
    """Return ``LOCATION`` for a normalized key that names an address, city or postcode."""
    if k in _ADDRESS_KEYS or k in _CITY_KEYS or k in _POSTCODE_KEYS:
        return LOCATION
    if k.endswith(("shippingaddress", "billingaddress", "homeaddress", "streetaddress",
                   "mailingaddress", "postaladdress", "deliveryaddress")):
        return LOCATION
    if k.endswith(("city", "postcode", "zipcode", "postalcode")):
        return LOCATION
    return None


def value_ok(value: str) -> bool:
    """Return True when a value under an address/city/postcode key looks like one."""
    val = value.strip()
    if len(val) < 2 or _HEXISH.match(val) and not val.isdigit():
        return False
    if val.isdigit():
        return 4 <= len(val) <= 6                   # a ZIP or postcode
    letters = sum(c.isalpha() for c in val)
    return letters >= 2 and val.lower() not in ("localhost", "unknown", "none", "n/a", "same")


def address_end(text: str, start: int) -> int | None:
    """Return where a street address that starts at ``start`` ends, or None."""
    for rx in (_US_UK, _DE, _FR, _PO_BOX):
        m = rx.match(text, start)
        if m:
            return m.end()
    return None


def find(text: str, out: list, add) -> None:
    """Append street addresses (and the cities of place cues) in ``text`` to ``out``."""
    if anchored(text):
        for rx, rec in ((_US_UK, "address"), (_DE, "address_de"), (_FR, "address_fr"),
                        (_PO_BOX, "po_box")):
            for m in rx.finditer(text):
                end = m.end()
                while end > m.start() and text[end - 1] in " ,":
                    end -= 1
                add(out, LOCATION, m.start(), end, 0.8, rec)


def cities(text: str, out: list, add) -> None:
    """Append known cities that follow a place cue (``in``, ``moved to``, …) in prose."""
    for m in _CAP_PHRASE.finditer(text):
        phrase = m.group()
        words_ = phrase.split()
        for n in range(len(words_), 0, -1):          # the longest known prefix: "New York City"
            cand = " ".join(words_[:n])
            if cand.lower() in CITIES:
                if _CITY_CUE.search(text, max(0, m.start() - 24), m.start()):
                    add(out, LOCATION, m.start(), m.start() + len(cand), 0.6, "city_cue")
                break
