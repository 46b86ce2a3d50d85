"""Small hand-written name gazetteers for finding names in prose without an NER model.

The lists are written for this project (common given names and surnames across several
languages); words that are usually something else in logs (May, Will, Chase, Paris, …) are left
out on purpose. ``NOT_NAMES`` are capitalised words that often stand next to a name-like word.
``COMMON_WORDS`` (everyday English words, never a one-word name) is derived, not hand-written:
:mod:`workbench.pii.common_words` builds it from a word-frequency table on first use.
"""
from __future__ import annotations

from . import common_words

_FIRST = """
aaron abdul abigail adam adrian ahmed aisha alan albert alejandro alex alexander alexandra alice
alicia alison amanda amelia amir amy ana andrea andrew andy angela anita ann anna anne annie
anthony antonio arjun arthur ashley aylin barbara beatriz ben benjamin beth betty bianca bob bogdan
boris brandon brenda brian bruno bryan camila carl carla carlos carmen carol caroline catherine
cecilia charles charlie charlotte chen chloe chris christian christina christine christopher
claire claudia colin connor craig cynthia daniel daniela danielle david deborah debra denise
dennis diana diego dmitri donald donna doris dorothy douglas dylan edward elena elif elizabeth
ella ellen emily emma eric erik erin esther ethan eva evelyn fatima felix fernando fiona francesca
francis frank gabriel gary george gerald giulia gloria gregory hana hannah harold harry heather
helen henry hiroshi hugo ian igor ines irene isaac isabel isabella ivan jack jacob james jamie jan
jane janet janice jason javier jean jeffrey jennifer jeremy jerry jessica joan joanna joe joel
johan john jonathan jorge jose joseph joshua joyce juan judith julia julian julie justin karen
karim kate katherine kathleen kathryn keith kelly kenji kenneth kevin kim kimberly kyle laura
lauren lawrence leah leo leon liam linda lisa liu lucas lucia lucy luis luka maria marie marina
mario marta martha martin mary matthew maya megan mehmet melissa mia michael michelle miguel mila
mohammed monica muhammad nadia nancy naomi natalia natasha nathan nicholas nicole nina noah nora
oliver olivia omar oscar pablo pamela patricia patrick paul paula pedro peter philip priya rachel
rafael rahul raj ralph raymond rebecca richard rita robert roberto roger ronald rosa ruth ryan
sabrina samantha samuel sandra sara sarah scott sean sebastian sergei sharon shirley simon sofia
sophia sophie stefan stephanie stephen steven susan takeshi tanya teresa thomas timothy tina
tobias tom tyler valentina vanessa victor vikram vincent walter wei william xavier yasmin yuki
yusuf zoe zhang
"""

_LAST = """
adams ahmed ali allen alvarez anderson bailey baker barnes bauer becker bell bennett brooks brown
bryant butler campbell carter castillo chavez chen clark collins cook cooper cox cruz davis diaz
dubois edwards evans fischer fisher flores ford foster garcia gomez gonzalez gordon graham gray
green griffin gupta gutierrez hall hamilton harris hayes henderson hernandez hill hoffmann howard
hughes hunt jackson james jenkins jimenez johnson jones kaur kelly kennedy khan kim king kowalski
kumar lambert lee lewis lopez martin martinez mason mcdonald meyer miller mitchell moore morales
morgan morris murphy murray muller myers nakamura nelson nguyen novak ortiz owens park parker patel
perez perry peterson petrov phillips powell price ramirez ramos reed reyes richardson rivera
roberts robinson rodriguez rogers romero rossi ross russell sanchez sanders santos schmidt schneider
scott shah sharma silva simmons singh smith sullivan suzuki tanaka taylor thomas thompson torres
tran turner walker wallace wang ward washington watson weber white williams wilson wood wright wu
yamamoto yang young zhang zimmermann doe
"""

# capitalised words that follow or precede a given name in logs without making it a person
_NOT_NAMES = """
server error service street road avenue city county state university college hospital bank
inc ltd llc corp corporation company group team department office cloud data system systems api
app application client browser chrome firefox safari edge windows linux mac android ios mobile
desktop web online internet network gateway proxy request response status code message warning
info debug trace job task queue worker node cluster region zone east west north south central
monday tuesday wednesday thursday friday saturday sunday january february march april june july
august september october november december the and of for with from to in on at by
"""



def words(text: str) -> frozenset[str]:
    """Return the whitespace-separated words of ``text`` as a set."""
    return frozenset(text.split())


FIRST_NAMES: frozenset[str] = words(_FIRST)
LAST_NAMES: frozenset[str] = words(_LAST)
NOT_NAMES: frozenset[str] = words(_NOT_NAMES)

_NOT_NAMES_MORE = """
google amazon microsoft apple oracle ibm meta apache kafka redis postgres postgresql mysql mongo
docker kubernetes nginx jenkins github gitlab slack jira confluence stripe paypal visa mastercard
new york london san francisco los angeles payment payments order orders account accounts support
billing security admin administrator operations ops finance sales marketing engineering production
staging development prod test qa dev release services relic datadog splunk grafana elastic
storage bucket database db cache load balancer firewall access denied forbidden unauthorized not
found bad timeout internal external public private shared default global local primary secondary
error warn warning critical fatal success failed failure ok true false null none unknown get post
put delete patch head options http https url uri json xml csv pdf html true ticket invoice
refund report update create created updated deleted user users customer customers service
bearer basic digest oauth token tokens
"""
NOT_NAMES = NOT_NAMES | words(_NOT_NAMES_MORE)

# Last words of organisation, product, place, status and heading phrases ("Redwood Analytics",
# "Twilio Flex", "Harbor Street", "Closed Lost", "Impact Assessment"). A capitalised phrase that
# ends in one is not taken for a name after a weak cue ("with", "for", "to", "I am"), nor as a
# model span or an organisation-like value under a key. Common surnames (Hall, Wood, Hill, Lane,
# Price, Power, Day, Banks, Park, Green, Stone, …) are left out on purpose.
_ORG_WORDS = """
inc incorporated ltd limited general infirmary llc llp plc gmbh ag sa sas bv nv pty corp corporation co company
companies group holdings holding partners partnership capital ventures investments bank bancorp
banking insurance assurance mutual trust fund funds credit union financial pharma pharmaceuticals
biotech healthcare medical clinic clinics hospital hospitals labs lab laboratories laboratory
analytics systems solutions technologies technology tech software networks telecom
telecommunications communications media digital energy utilities logistics freight shipping
transport transportation airlines airways motors automotive foods realty properties estates
hotels hotel resorts consulting consultants industries international worldwide enterprises
associates studio studios agency foundation institute academy council ministry bureau authority
commission association society federation stores shop market markets restaurant cafe pharmacy
retail wholesale brands cooperative
flex connect hub portal console suite platform workspace workflows workflow streams stream
search monitor monitoring sync manager management engine sdk apps pro plus premium edition
dashboard drive docs sheets excel teams radar navigator automate identity insights center centre
desk tracker tool tools toolkit assistant bot pipeline pipelines warehouse vault registry
explorer editor builder designer viewer browser framework library module plugin extension cloud
street st road rd avenue ave boulevard blvd square plaza city town village county province
district island islands bay beach coast valley heights springs falls port harbor harbour river
mountains peninsula airport station terminal mall campus building tower towers headquarters hq
review approval approved pending rejected closed resolved done lost won deferred progress
started blocked triaged reopened waiting escalated cancelled canceled completed complete failed
succeeded active inactive expired draft
summary assessment report reports update updates log details notes overview agenda minutes plan
roadmap mortem retro retrospective analysis tasks items actions issues questions faq guide
checklist timeline background scope requirements proposal
down up out off away back busy late behind sick leave online offline unavailable swamped
squad meeting standup session workshop webinar conference launch week month quarter year today
tomorrow tonight morning afternoon evening weekend
"""
ORG_WORDS: frozenset[str] = words(_ORG_WORDS)

# words that open a sentence or clause and never a name ("User: Can Fraud Monitor read …")
NOT_FIRST: frozenset[str] = words("""
can could would should will shall may might must please why what when where who whom whose which
how is are was were be been do does did has have had i we you they he she it this that these
those there here my our your their his her its a an if so but and or yes no ok okay sorry just
also only all any every each some many much more most our not let lets thank
""")

# Everyday English words (``mail``, ``backup``, ``yesterday``, ``order``, ``date``): about 30,000
# lower-case words that a large web corpus writes in lower case at least as often as capitalised,
# derived by :mod:`workbench.pii.common_words` from spaCy's word-probability table. Never a
# one-word name on its own, never a word of a lower-case name, and a capitalised phrase made only
# of them (``Signup Date``, ``Order Date``) is a heading rather than a name. Surnames that are
# also words (``Brown``, ``Hall``, ``Wood``) are in it: the gazetteers and cue rules still find
# them next to a given name.
COMMON_WORDS: frozenset[str] = common_words.load()

# place names of two words whose parts are also given names or common words ("Costa Rica")
PLACE_PHRASES: frozenset[str] = frozenset("""costa rica|puerto rico|el salvador|new zealand|
south africa|sri lanka|hong kong|buenos aires|rio de janeiro|sao paulo|são paulo|mexico city|
los angeles|san francisco|san diego|san jose|san antonio|las vegas|new orleans|baton rouge|
cape town|tel aviv|abu dhabi|kuala lumpur|saudi arabia|united kingdom|united states|
santa monica|santa clara|santa barbara|santa cruz|fort worth|salt lake|new delhi|new jersey|
new mexico|north carolina|south carolina|north dakota|south dakota|west virginia|rhode island|
costa brava|hong kong sar|saint louis|st louis|st petersburg|port elizabeth|port louis|
san marino|sierra leone|burkina faso|ivory coast|czech republic|dominican republic""".replace(
    "\n", "").split("|"))
