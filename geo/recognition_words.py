"""The words recognition reads, kept apart from its rules: data, not logic.

Each list is a frozenset of lower-case words (or tokens) that ``geo/recognize.py`` tests a
candidate name's neighbours against. Adding a word here changes what the rules accept; the
rules themselves do not change.
"""

from __future__ import annotations

__all__ = [
    "ATTACKS_ON",
    "CAPTION_LOCATIVES",
    "CAPTION_PLACE_WORDS",
    "COMPASS_WORDS",
    "DISEASE_WORDS",
    "FACILITY_HEADS",
    "INSTITUTION_HEADS",
    "KIND_NOUNS",
    "LOCATING_ADJECTIVES",
    "LOCATIVE_WORDS",
    "NAME_PARTICLES",
    "NOT_PLACES",
    "NOT_PLACES_AFTER_THE",
    "OCCUPIER_WORDS",
    "ORGANISATION_WORDS",
    "PLACE_NOUNS",
    "PLURAL_ADMIN_WORDS",
    "REGION_WORDS",
    "SENTENCE_VERBS",
    "TITLES",
    "UNIT_WORDS",
]

#: Words before a name that say the name is a place ("shelling of X", "talks in X").
LOCATIVE_WORDS = frozenset(
    """in near from to outside around of at into toward towards across via between through inside reach
    reached enter entered captured recaptured liberated shelled shelling struck hit bombed besieged
    surrounded encircled seized took occupied left fled evacuated visited""".split()
)
#: Nouns after a name that say it is a place ("the Gomel area", "Kherson regions").
PLACE_NOUNS = frozenset(
    """area areas region regions oblast oblasts province provinces city town village border coast port
    front outskirts district districts suburb airport""".split()
)
#: Kinds of place that introduce a name the gazetteer may lack: "the village of Cellardyke",
#: "the island Rügen", "Dogu Beyazit, a farming town".
KIND_NOUNS = frozenset(
    """village villages town towns hometown city cities township townships hamlet hamlets island islands
    district districts province provinces county counties municipality settlement port""".split()
)
#: Plural designators shared by a list of names: "the Donetsk and Luhansk regions".
PLURAL_ADMIN_WORDS = frozenset("regions oblasts provinces governorates".split())
#: Capitalised words that are never place names on their own in news (diseases and armed
#: groups included: the small model calls Ebola and Hamas GPEs, and a river is called Ebola).
NOT_PLACES = (
    frozenset(
        """the a an he she it we they i you his her their our its this that these those there here monday
    tuesday wednesday thursday friday saturday sunday january february march april may june july august
    september october november december mr mrs ms dr president minister prime general kremlin pentagon
    reuters newswire ap afp update breaking video photo today yesterday north south east west central
    northern southern eastern western god
    ebola zika malaria measles cholera polio mmr hiv aids sars mers covid
    hamas hezbollah taliban isis isil nato wagner""".split()
    )
    | frozenset(
        # Capitalised common nouns that tiny places also bear ("the Secretary of War" is not War,
        # West Virginia; "the Centre" of Indian news is the central government).
        """centre center church republic region police border commonwealth royal saint major war field
    artillery infantry cavalry headquarters man ai mod santa rebels earth star tornado tsunami blood
    jesus metro gold coast week kill law university""".split()
    )
    | frozenset({"white house"})
)  # a seat of government, like the Kremlin: an institution (events guide)
#: Capitalised nouns that are places alone ("Union, New Jersey") but not after "the" ("the
#: Union army").
NOT_PLACES_AFTER_THE = frozenset("""union mission""".split())
#: Nouns after a name that make it part of an organisation's name ("the Azov battalion").
UNIT_WORDS = frozenset("""battalion regiment brigade airlines airways fc club university""".split())
#: Words that make a place name part of a disease's ("West Nile virus", "Rift Valley fever").
DISEASE_WORDS = frozenset("""virus viruses fever flu influenza disease""".split())
#: Lower-case particles of personal names ("von der Leyen", "bin Salman").
NAME_PARTICLES = frozenset("""von der van den de da del di al el bin ibn abu le la""".split())
#: Words that end names of organisations, not places ("Donetsk People's Republic").
ORGANISATION_WORDS = frozenset("""republic ministry army command council committee university party""".split())
#: Head nouns that make an organisation's name a building or a street ("Holy Redeemer Church",
#: "Royal Street", "Stonewall Golf Club"): the model calls them ORG, a map wants them.
FACILITY_HEADS = frozenset(
    """street avenue road boulevard square plaza bridge church cathedral mosque synagogue temple
    library museum theatre theater stadium arena airport station courthouse estate plantation inn
    hotel mall""".split()
)
#: Head nouns of buildings and bodies a city gives its name to ("Kharkiv Pedagogical Institute",
#: "Mykolaiv Regional State Administration"): the city that opens such a name is where it stands.
INSTITUTION_HEADS = frozenset(
    """institute university academy college school lyceum gymnasium hospital clinic airport airbase
    station tower administration plant factory depot faculty department""".split()
)
#: Titles of people: a name before one is a place ("Kyiv Mayor Vitali Klitschko"), a capitalised
#: word after one is part of a person's name.
TITLES = frozenset(
    """mr mrs ms dr president minister general colonel sergeant governor mayor archbishop bishop cardinal
    senator chancellor premier ambassador commissioner sheriff""".split()
)
#: Words before "on" that make it a place context ("fired on Qamishli"); "on" alone is not
#: ("on Monday", "on Twitter").
ATTACKS_ON = frozenset(
    """fire fired firing attack attacks attacked assault assaults strike strikes advance advanced advancing
    offensive raid raids march marched marching bombardment closing""".split()
)
#: Adjectives that may stand between a locative word and a name ("in eastern Ghouta", "in
#: downtown Buffalo").
LOCATING_ADJECTIVES = frozenset(
    """northern southern eastern western central north-eastern north-western south-eastern south-western
    northeastern northwestern southeastern southwestern downtown regional rural coastal neighbouring
    neighboring nearby occupied besieged embattled""".split()
)
#: Words that follow a sentence-initial capital name in news when it is the subject
#: ("Kyiv said", "Kharkiv, barely 40 km from..."), so the name is not an ordinary word.
SENTENCE_VERBS = frozenset(
    """, said says has had is was will would neither denied confirmed accused rejected called insisted
    wants warned and 's""".split()
)
#: Words before a name that say place in a caption, beyond ``LOCATIVE_WORDS`` ("smoke over
#: Bilohorivka", "#Bucha"); in longer prose "over" is too often not spatial ("over Trump").
CAPTION_LOCATIVES = frozenset("""over # @""".split())
#: Words right before a name that say what the place is in a caption, kinds of place and
#: facilities alike ("village Bilohorivka", "Substation Pivdenne", "school Hostomel").
CAPTION_PLACE_WORDS = frozenset(
    """village town city settlement hamlet substation station school lyceum hospital plant depot""".split()
)
#: Words before "of" that make it a place's "of" even before a name the model calls a person
#: ("south of Bilohorivka", "the outskirts of Hostomel"), however small the place.
COMPASS_WORDS = frozenset(
    """north south east west northeast northwest southeast southwest north-east north-west south-east
    south-west outskirts suburbs edge""".split()
)
#: Nouns that close a caption's "village, region" pair ("Bilohorivka, Luhansk Oblast",
#: "Pisky, Donetsk region").
REGION_WORDS = frozenset("""oblast region province raion district governorate""".split())
#: Words between an occupier and a place that keep the place context: "in Russian-occupied
#: Melitopol", "in Ukrainian-controlled Kramatorsk", "in Russian held Tokmak".
OCCUPIER_WORDS = frozenset("""occupied controlled held annexed""".split())
