"""A generated, labelled golden set for domaining and schema matching (ROADMAP §43).

``golden_columns`` builds legacy-looking tables whose columns carry a domain id of the shipped
catalog (``domains.yml``) or ``"unknown"``; ``matching_cases`` builds source/target schema pairs
with the true column mapping. Headers are written the way old systems spell them (abbreviated,
prefixed, upper snake, PascalCase, German/French/Spanish/Portuguese/Italian/Dutch words, the odd
typo, opaque ``col7``) and are deliberately *not* taken from the catalog's aliases; values are
messy (mixed date formats, national phone formats, cents vs decimals, padding, case, nulls).
Everything is derived from a seeded ``random.Random``: no I/O, no network, same seed → same set.
All people, numbers and addresses are invented (phones in fiction ranges, example.com mail).

Examples
--------
>>> cols = golden_columns()
>>> len(cols) >= 320, len({c.table for c in cols}) >= 30
(True, True)
>>> sum(len(c.truth) for c in matching_cases()) >= 150
True
"""
from __future__ import annotations

import random
import string
import unicodedata
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

__all__ = ["UNKNOWN", "GoldenColumn", "MatchCase", "golden_columns", "matching_cases"]

UNKNOWN = "unknown"


@dataclass(frozen=True)
class GoldenColumn:
    """One labelled legacy column: its table, header, sample values and true domain.

    >>> GoldenColumn("kunden", "VORNA", ("Anna", None), "person.first_name").values
    ('Anna', None)
    """

    table: str
    column: str
    values: tuple[str | None, ...]
    domain: str
    description: str = ""


@dataclass(frozen=True)
class MatchCase:
    """A schema-matching case: source tables with values, a target schema and the true pairs.

    >>> case = matching_cases()[0]
    >>> case.name, all(t in case.source for t, _ in case.truth)
    ('crm', True)
    """

    name: str
    source: dict[str, list[GoldenColumn]]
    target: dict
    truth: dict[tuple[str, str], tuple[str, str]]


# ------------------------------------------------------------------------------------ word pools
COUNTRY_LANG = {"US": "en", "GB": "en", "DE": "de", "FR": "fr", "ES": "es", "PT": "pt",
                "IT": "it", "NL": "nl"}

FIRST = {
    "en": ["James", "Olivia", "Liam", "Emma", "Noah", "Ava", "Oliver", "Sophia", "Harry", "Grace",
           "Jack", "Amelia", "Ethan", "Chloe", "Mason", "Ella"],
    "de": ["Lukas", "Anna", "Jonas", "Lea", "Felix", "Hannah", "Maximilian", "Sophie", "Paul",
           "Marie", "Leon", "Lena", "Jürgen", "Katrin", "Uwe", "Sabine"],
    "fr": ["Lucas", "Camille", "Hugo", "Léa", "Louis", "Chloé", "Gabriel", "Manon", "Arthur",
           "Inès", "Jules", "Élodie", "Théo", "Margaux", "René", "Amélie"],
    "es": ["Mateo", "Lucía", "Hugo", "Martina", "Pablo", "Sofía", "Álvaro", "María", "Diego",
           "Paula", "Javier", "Carmen", "Sergio", "Elena", "Iker", "Nerea"],
    "pt": ["João", "Maria", "Tiago", "Beatriz", "Rodrigo", "Inês", "Duarte", "Leonor", "Gonçalo",
           "Mariana", "Afonso", "Carolina", "Rui", "Joana", "Miguel", "Sara"],
    "it": ["Leonardo", "Giulia", "Francesco", "Aurora", "Alessandro", "Sofia", "Lorenzo",
           "Chiara", "Matteo", "Francesca", "Davide", "Martina", "Giuseppe", "Elisa", "Marco",
           "Valentina"],
    "nl": ["Daan", "Emma", "Sem", "Julia", "Lucas", "Tess", "Levi", "Sophie", "Finn", "Anna",
           "Bram", "Lotte", "Joost", "Fleur", "Thijs", "Sanne"],
}
LAST = {
    "en": ["Smith", "Johnson", "Walker", "Brown", "Taylor", "Wilson", "Davies", "Evans",
           "Thompson", "O'Connor", "Robinson", "Wright", "Hughes", "Clarke", "Hall", "Baker"],
    "de": ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
           "Schulz", "Hoffmann", "Koch", "Richter", "Klein", "Wolf", "Schröder", "Neumann"],
    "fr": ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand",
           "Leroy", "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garnier", "Roux"],
    "es": ["García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez",
           "Pérez", "Gómez", "Martín", "Jiménez", "Ruiz", "Hernández", "Díaz", "Moreno",
           "Álvarez"],
    "pt": ["Silva", "Santos", "Ferreira", "Pereira", "Oliveira", "Costa", "Rodrigues", "Martins",
           "Sousa", "Fernandes", "Gonçalves", "Gomes", "Lopes", "Marques", "Alves", "Ribeiro"],
    "it": ["Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci",
           "Marino", "Greco", "Bruno", "Gallo", "Conti", "De Luca", "Mancini", "Costa"],
    "nl": ["de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen",
           "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters"],
}
STREETS = {
    "en": (["{} Street", "{} Road", "{} Avenue", "{} Lane", "{} St", "{} Rd", "{} Close"],
           ["Oak", "Maple", "Baker", "Church", "High", "Mill", "Elm", "Station", "Park", "King",
            "Queen", "Victoria", "Willow", "Cedar"]),
    "de": (["{}straße", "{}weg", "{}allee", "{}str.", "{}platz", "{}ring"],
           ["Linden", "Berg", "Schiller", "Goethe", "Bahnhof", "Kirch", "Mozart", "Garten",
            "Hafen", "Wiesen", "Birken", "Rosen", "Buchen", "Markt"]),
    "fr": (["Rue {}", "Avenue {}", "Boulevard {}", "Place {}", "Impasse {}", "Allée {}"],
           ["de la Paix", "Victor Hugo", "des Lilas", "du Moulin", "Pasteur", "Jean Jaurès",
            "de la Gare", "des Écoles", "du Château", "des Roses", "Voltaire", "de Verdun"]),
    "es": (["Calle {}", "Avenida {}", "Plaza {}", "Paseo {}", "C/ {}", "Ronda {}"],
           ["Mayor", "de Alcalá", "del Sol", "de la Constitución", "Real", "San Juan", "de Goya",
            "del Prado", "de la Paz", "Cervantes", "de Toledo", "Serrano"]),
    "pt": (["Rua {}", "Avenida {}", "Travessa {}", "Largo {}", "Praça {}", "Av. {}"],
           ["das Flores", "da Liberdade", "do Comércio", "de São Bento", "Augusta",
            "dos Remédios", "da Boavista", "do Carmo", "da Graça", "de Santa Catarina"]),
    "it": (["Via {}", "Viale {}", "Corso {}", "Piazza {}", "Vicolo {}", "Largo {}"],
           ["Roma", "Garibaldi", "Dante", "Verdi", "dei Mille", "Mazzini", "della Repubblica",
            "Cavour", "Manzoni", "delle Rose", "San Marco", "Vittorio Emanuele"]),
    "nl": (["{}straat", "{}laan", "{}gracht", "{}weg", "{}plein", "{}kade"],
           ["Kerk", "Molen", "Dorps", "Heren", "Keizers", "Prinsen", "Stations", "Linden",
            "Beuken", "Wilgen", "Hoofd", "Markt"]),
}
# country -> (city, state/region, latitude, longitude, postal prefix)
CITIES = {
    "US": [("New York", "NY", 40.7128, -74.0060, "100"), ("Chicago", "IL", 41.8781, -87.6298,
           "606"), ("Springfield", "IL", 39.7817, -89.6501, "627"), ("Austin", "TX", 30.2672,
           -97.7431, "787"), ("Seattle", "WA", 47.6062, -122.3321, "981"), ("Denver", "CO",
           39.7392, -104.9903, "802"), ("Boston", "MA", 42.3601, -71.0589, "021"),
           ("San Diego", "CA", 32.7157, -117.1611, "921"), ("Miami", "FL", 25.7617, -80.1918,
           "331")],
    "GB": [("London", "Greater London", 51.5074, -0.1278, "SW"), ("Leeds", "West Yorkshire",
           53.8008, -1.5491, "LS"), ("Manchester", "Greater Manchester", 53.4808, -2.2426, "M"),
           ("Birmingham", "West Midlands", 52.4862, -1.8904, "B"), ("Glasgow", "Scotland",
           55.8642, -4.2518, "G"), ("Bristol", "Bristol", 51.4545, -2.5879, "BS"),
           ("Cardiff", "Wales", 51.4816, -3.1791, "CF")],
    "DE": [("Berlin", "Berlin", 52.5200, 13.4050, "10"), ("Hamburg", "Hamburg", 53.5511, 9.9937,
           "20"), ("München", "Bayern", 48.1351, 11.5820, "80"), ("Köln", "Nordrhein-Westfalen",
           50.9375, 6.9603, "50"), ("Frankfurt am Main", "Hessen", 50.1109, 8.6821, "60"),
           ("Stuttgart", "Baden-Württemberg", 48.7758, 9.1829, "70"), ("Leipzig", "Sachsen",
           51.3397, 12.3731, "04"), ("Hannover", "Niedersachsen", 52.3759, 9.7320, "30")],
    "FR": [("Paris", "Île-de-France", 48.8566, 2.3522, "75"), ("Lyon", "Auvergne-Rhône-Alpes",
           45.7640, 4.8357, "69"), ("Marseille", "Provence-Alpes-Côte d'Azur", 43.2965, 5.3698,
           "13"), ("Toulouse", "Occitanie", 43.6047, 1.4442, "31"), ("Nantes",
           "Pays de la Loire", 47.2184, -1.5536, "44"), ("Lille", "Hauts-de-France", 50.6292,
           3.0573, "59"), ("Bordeaux", "Nouvelle-Aquitaine", 44.8378, -0.5792, "33")],
    "ES": [("Madrid", "Comunidad de Madrid", 40.4168, -3.7038, "28"), ("Barcelona",
           "Cataluña", 41.3874, 2.1686, "08"), ("Valencia", "Comunidad Valenciana", 39.4699,
           -0.3763, "46"), ("Sevilla", "Andalucía", 37.3891, -5.9845, "41"), ("Zaragoza",
           "Aragón", 41.6488, -0.8891, "50"), ("Bilbao", "País Vasco", 43.2630, -2.9350, "48"),
           ("Málaga", "Andalucía", 36.7213, -4.4214, "29")],
    "PT": [("Lisboa", "Lisboa", 38.7223, -9.1393, "1"), ("Porto", "Porto", 41.1579, -8.6291,
           "4"), ("Braga", "Braga", 41.5454, -8.4265, "47"), ("Coimbra", "Coimbra", 40.2033,
           -8.4103, "30"), ("Faro", "Faro", 37.0194, -7.9322, "80"), ("Aveiro", "Aveiro",
           40.6405, -8.6538, "38")],
    "IT": [("Roma", "Lazio", 41.9028, 12.4964, "001"), ("Milano", "Lombardia", 45.4642, 9.1900,
           "201"), ("Napoli", "Campania", 40.8518, 14.2681, "801"), ("Torino", "Piemonte",
           45.0703, 7.6869, "101"), ("Firenze", "Toscana", 43.7696, 11.2558, "501"),
           ("Bologna", "Emilia-Romagna", 44.4949, 11.3426, "401"), ("Venezia", "Veneto",
           45.4408, 12.3155, "301")],
    "NL": [("Amsterdam", "Noord-Holland", 52.3676, 4.9041, "10"), ("Rotterdam", "Zuid-Holland",
           51.9244, 4.4777, "30"), ("Den Haag", "Zuid-Holland", 52.0705, 4.3007, "25"),
           ("Utrecht", "Utrecht", 52.0907, 5.1214, "35"), ("Eindhoven", "Noord-Brabant",
           51.4416, 5.4697, "56"), ("Groningen", "Groningen", 53.2194, 6.5665, "97")],
}
COUNTRIES = {  # code: (alpha-3, names by language)
    "DE": ("DEU", {"en": "Germany", "de": "Deutschland", "fr": "Allemagne", "es": "Alemania",
                   "pt": "Alemanha", "it": "Germania", "nl": "Duitsland"}),
    "FR": ("FRA", {"en": "France", "de": "Frankreich", "fr": "France", "es": "Francia",
                   "pt": "França", "it": "Francia", "nl": "Frankrijk"}),
    "ES": ("ESP", {"en": "Spain", "de": "Spanien", "fr": "Espagne", "es": "España",
                   "pt": "Espanha", "it": "Spagna", "nl": "Spanje"}),
    "PT": ("PRT", {"en": "Portugal", "de": "Portugal", "fr": "Portugal", "es": "Portugal",
                   "pt": "Portugal", "it": "Portogallo", "nl": "Portugal"}),
    "IT": ("ITA", {"en": "Italy", "de": "Italien", "fr": "Italie", "es": "Italia",
                   "pt": "Itália", "it": "Italia", "nl": "Italië"}),
    "NL": ("NLD", {"en": "Netherlands", "de": "Niederlande", "fr": "Pays-Bas",
                   "es": "Países Bajos", "pt": "Países Baixos", "it": "Paesi Bassi",
                   "nl": "Nederland"}),
    "US": ("USA", {"en": "United States", "de": "Vereinigte Staaten", "fr": "États-Unis",
                   "es": "Estados Unidos", "pt": "Estados Unidos", "it": "Stati Uniti",
                   "nl": "Verenigde Staten"}),
    "GB": ("GBR", {"en": "United Kingdom", "de": "Vereinigtes Königreich",
                   "fr": "Royaume-Uni", "es": "Reino Unido", "pt": "Reino Unido",
                   "it": "Regno Unito", "nl": "Verenigd Koninkrijk"}),
    "AT": ("AUT", {"en": "Austria", "de": "Österreich", "fr": "Autriche", "es": "Austria",
                   "pt": "Áustria", "it": "Austria", "nl": "Oostenrijk"}),
    "CH": ("CHE", {"en": "Switzerland", "de": "Schweiz", "fr": "Suisse", "es": "Suiza",
                   "pt": "Suíça", "it": "Svizzera", "nl": "Zwitserland"}),
    "BE": ("BEL", {"en": "Belgium", "de": "Belgien", "fr": "Belgique", "es": "Bélgica",
                   "pt": "Bélgica", "it": "Belgio", "nl": "België"}),
    "PL": ("POL", {"en": "Poland", "de": "Polen", "fr": "Pologne", "es": "Polonia",
                   "pt": "Polónia", "it": "Polonia", "nl": "Polen"}),
    "IE": ("IRL", {"en": "Ireland", "de": "Irland", "fr": "Irlande", "es": "Irlanda",
                   "pt": "Irlanda", "it": "Irlanda", "nl": "Ierland"}),
    "BR": ("BRA", {"en": "Brazil", "de": "Brasilien", "fr": "Brésil", "es": "Brasil",
                   "pt": "Brasil", "it": "Brasile", "nl": "Brazilië"}),
}
DEMONYMS = {
    "en": {"DE": "German", "FR": "French", "ES": "Spanish", "PT": "Portuguese", "IT": "Italian",
           "NL": "Dutch", "US": "American", "GB": "British", "AT": "Austrian", "CH": "Swiss",
           "BE": "Belgian", "PL": "Polish", "IE": "Irish", "BR": "Brazilian"},
    "de": {"DE": "deutsch", "FR": "französisch", "ES": "spanisch", "PT": "portugiesisch",
           "IT": "italienisch", "NL": "niederländisch", "US": "amerikanisch", "GB": "britisch",
           "AT": "österreichisch", "CH": "schweizerisch", "PL": "polnisch", "BR": "brasilianisch"},
    "fr": {"DE": "allemande", "FR": "française", "ES": "espagnole", "PT": "portugaise",
           "IT": "italienne", "BE": "belge", "CH": "suisse", "GB": "britannique",
           "US": "américaine"},
    "es": {"DE": "alemana", "FR": "francesa", "ES": "española", "PT": "portuguesa",
           "IT": "italiana", "BR": "brasileña", "US": "estadounidense", "GB": "británica"},
    "pt": {"DE": "alemã", "FR": "francesa", "ES": "espanhola", "PT": "portuguesa",
           "IT": "italiana", "BR": "brasileira", "GB": "britânica"},
    "it": {"DE": "tedesca", "FR": "francese", "ES": "spagnola", "PT": "portoghese",
           "IT": "italiana", "CH": "svizzera", "US": "statunitense"},
    "nl": {"DE": "Duits", "FR": "Frans", "ES": "Spaans", "NL": "Nederlands", "BE": "Belgisch",
           "GB": "Brits", "IT": "Italiaans"},
}
TIMEZONES = {"US": ["America/New_York", "America/Chicago", "America/Denver",
                    "America/Los_Angeles"], "GB": ["Europe/London"], "DE": ["Europe/Berlin"],
             "FR": ["Europe/Paris"], "ES": ["Europe/Madrid", "Atlantic/Canary"],
             "PT": ["Europe/Lisbon", "Atlantic/Azores"], "IT": ["Europe/Rome"],
             "NL": ["Europe/Amsterdam"]}
TZ_ABBR = {"US": ["EST", "CST", "MST", "PST", "EDT"], "GB": ["GMT", "BST"],
           "PT": ["WET", "WEST"]}
TZ_OFFSET = {"US": ["-05:00", "-06:00", "-07:00", "-08:00"], "GB": ["+00:00", "+01:00"],
             "PT": ["+00:00", "+01:00"]}
CURRENCY = {"US": "USD", "GB": "GBP", "DE": "EUR", "FR": "EUR", "ES": "EUR", "PT": "EUR",
            "IT": "EUR", "NL": "EUR"}
COMPANY_STEMS = ["Nordwind", "Blauberg", "Sonnenfeld", "Globex", "Initech", "Tailspin",
                 "Fabrikam", "Contoso", "Litware", "Brightline", "Redwood", "Silverlake",
                 "Eastgate", "Alpenglanz", "Lumière", "Solmar", "Marelux", "Duinwater",
                 "Ventoso", "Greyfield", "Oakridge", "Bluestone"]
COMPANY_FORMS = {"en": ["Ltd", "Inc.", "LLC", "PLC", "Corp.", "& Co."],
                 "de": ["GmbH", "AG", "KG", "GmbH & Co. KG", "e.K."],
                 "fr": ["SARL", "SAS", "SA", "EURL"], "es": ["S.L.", "S.A.", "S.L.U."],
                 "pt": ["Lda.", "S.A.", "Unipessoal Lda."], "it": ["S.r.l.", "S.p.A.", "S.n.c."],
                 "nl": ["B.V.", "N.V.", "V.O.F."]}
COMPANY_TRADES = {"en": ["Logistics", "Foods", "Systems", "Consulting", "Trading", "Labs"],
                  "de": ["Logistik", "Handel", "Maschinenbau", "Software", "Bau", "Druck"],
                  "fr": ["Transports", "Distribution", "Conseil", "Industries", "Services"],
                  "es": ["Distribuciones", "Construcciones", "Consultores", "Alimentación"],
                  "pt": ["Comércio", "Transportes", "Serviços", "Construções"],
                  "it": ["Trasporti", "Costruzioni", "Servizi", "Alimentari", "Meccanica"],
                  "nl": ["Transport", "Handel", "Techniek", "Bouw", "Advies"]}
DEPARTMENTS = {
    "en": ["Finance", "Human Resources", "IT", "Sales", "Marketing", "Logistics", "Legal",
           "Procurement", "Customer Service", "R&D", "Production", "Facilities", "HR", "Ops"],
    "de": ["Vertrieb", "Buchhaltung", "Personal", "Einkauf", "Produktion", "IT", "Marketing",
           "Logistik", "Recht", "Kundendienst", "Controlling", "Entwicklung"],
    "fr": ["Comptabilité", "Ressources humaines", "Informatique", "Ventes", "Achats",
           "Production", "Juridique", "Service client", "Logistique", "Direction"],
    "es": ["Contabilidad", "Recursos Humanos", "Informática", "Ventas", "Compras", "Logística",
           "Producción", "Atención al cliente", "Jurídico", "Dirección"],
    "pt": ["Contabilidade", "Recursos Humanos", "Informática", "Vendas", "Compras",
           "Logística", "Produção", "Apoio ao Cliente", "Jurídico"],
    "it": ["Amministrazione", "Risorse Umane", "Informatica", "Vendite", "Acquisti",
           "Logistica", "Produzione", "Assistenza clienti", "Legale"],
    "nl": ["Financiën", "Personeelszaken", "ICT", "Verkoop", "Inkoop", "Logistiek",
           "Productie", "Klantenservice", "Juridische zaken"],
}
JOB_TITLES = {
    "en": ["Software Engineer", "Sales Manager", "Accountant", "Head of Marketing",
           "Data Analyst", "Warehouse Operative", "HR Business Partner", "Senior Consultant",
           "Office Manager", "Lead Developer", "Customer Service Agent", "Buyer",
           "Chief Financial Officer", "Nurse", "Forklift Driver", "Product Owner"],
    "de": ["Projektleiter", "Sachbearbeiterin", "Buchhalter", "Vertriebsleiter",
           "Softwareentwickler", "Lagerist", "Personalreferentin", "Geschäftsführer",
           "Einkäufer", "Teamleiterin Kundenservice", "Werkstudent", "Industriekaufmann"],
    "fr": ["Comptable", "Chef de projet", "Ingénieur logiciel", "Responsable commercial",
           "Assistante de direction", "Magasinier", "Directeur financier", "Infirmière",
           "Technicien de maintenance", "Chargée de clientèle"],
    "es": ["Contable", "Jefe de proyecto", "Ingeniera de software", "Director comercial",
           "Administrativo", "Mozo de almacén", "Enfermera", "Técnico de mantenimiento",
           "Responsable de compras", "Analista de datos"],
    "pt": ["Contabilista", "Gestor de projeto", "Engenheira de software", "Diretor comercial",
           "Administrativa", "Operador de armazém", "Enfermeiro", "Técnico de manutenção"],
    "it": ["Contabile", "Capo progetto", "Sviluppatore software", "Direttore commerciale",
           "Impiegata amministrativa", "Magazziniere", "Infermiere", "Tecnico manutentore"],
    "nl": ["Boekhouder", "Projectleider", "Softwareontwikkelaar", "Verkoopmanager",
           "Administratief medewerker", "Magazijnmedewerker", "Verpleegkundige",
           "Monteur"],
}
INDUSTRIES = {
    "en": ["Retail", "Manufacturing", "Healthcare", "Financial Services", "Automotive",
           "Logistics", "Telecommunications", "Energy", "Public Sector", "Software",
           "Pharmaceuticals", "Hospitality", "Construction", "Agriculture", "Media"],
    "de": ["Einzelhandel", "Maschinenbau", "Gesundheitswesen", "Finanzdienstleistungen",
           "Automobil", "Logistik", "Energie", "Öffentlicher Dienst", "Bauwesen", "Chemie"],
    "fr": ["Commerce de détail", "Industrie", "Santé", "Services financiers", "Automobile",
           "Transport", "Énergie", "Hôtellerie", "BTP", "Agroalimentaire"],
    "es": ["Comercio minorista", "Industria", "Sanidad", "Servicios financieros",
           "Automoción", "Logística", "Energía", "Hostelería", "Construcción"],
    "pt": ["Retalho", "Indústria", "Saúde", "Serviços financeiros", "Automóvel",
           "Logística", "Energia", "Hotelaria", "Construção"],
    "it": ["Commercio al dettaglio", "Manifattura", "Sanità", "Servizi finanziari",
           "Automotive", "Logistica", "Energia", "Turismo", "Edilizia"],
    "nl": ["Detailhandel", "Industrie", "Zorg", "Financiële dienstverlening", "Logistiek",
           "Energie", "Horeca", "Bouw", "Landbouw"],
}
PRODUCT_NOUNS = {
    "en": ["T-Shirt", "Coffee Mug", "Wireless Mouse", "Water Bottle", "LED Bulb",
           "Running Shoe", "USB-C Cable", "Notebook", "Desk Lamp", "Backpack", "Yoga Mat",
           "Headphones", "Kettle", "Umbrella", "Chair", "Hoodie"],
    "de": ["Kaffeebecher", "Funkmaus", "Trinkflasche", "Glühbirne", "Laufschuh", "Rucksack",
           "Schreibtischlampe", "Wasserkocher", "Regenschirm", "Kapuzenpullover", "Stuhl"],
    "fr": ["Tasse", "Souris sans fil", "Gourde", "Ampoule LED", "Chaussure de course",
           "Sac à dos", "Lampe de bureau", "Bouilloire", "Parapluie", "Chaise de jardin"],
    "es": ["Taza", "Ratón inalámbrico", "Botella", "Bombilla LED", "Zapatilla", "Mochila",
           "Lámpara de escritorio", "Hervidor", "Paraguas", "Silla"],
    "pt": ["Caneca", "Rato sem fios", "Garrafa", "Lâmpada LED", "Sapatilha", "Mochila",
           "Candeeiro", "Chaleira", "Guarda-chuva", "Cadeira"],
    "it": ["Tazza", "Mouse wireless", "Borraccia", "Lampadina LED", "Scarpa da corsa",
           "Zaino", "Lampada da scrivania", "Bollitore", "Ombrello", "Sedia"],
    "nl": ["Koffiemok", "Draadloze muis", "Drinkfles", "LED-lamp", "Hardloopschoen",
           "Rugzak", "Bureaulamp", "Waterkoker", "Paraplu", "Stoel"],
}
PRODUCT_ADJ = ["Classic", "Pro", "Eco", "Urban", "Nova", "Aero", "Mini", "XL", "Organic",
               "Deluxe", "Basic", "Sport", "Vintage", "Smart"]
CATEGORIES = {
    "en": ["Apparel", "Kitchen", "Electronics", "Home & Garden", "Footwear", "Office Supplies",
           "Lighting", "Sports", "Toys", "Accessories", "Furniture", "Beverages"],
    "de": ["Bekleidung", "Küche", "Elektronik", "Haus & Garten", "Schuhe", "Bürobedarf",
           "Beleuchtung", "Sport", "Spielwaren", "Möbel"],
    "fr": ["Vêtements", "Cuisine", "Électronique", "Maison & Jardin", "Chaussures",
           "Fournitures de bureau", "Luminaires", "Sport", "Jouets", "Mobilier"],
    "es": ["Ropa", "Cocina", "Electrónica", "Hogar y Jardín", "Calzado", "Oficina",
           "Iluminación", "Deportes", "Juguetes", "Muebles"],
    "pt": ["Vestuário", "Cozinha", "Eletrónica", "Casa e Jardim", "Calçado", "Escritório",
           "Iluminação", "Desporto", "Brinquedos"],
    "it": ["Abbigliamento", "Cucina", "Elettronica", "Casa e Giardino", "Calzature", "Ufficio",
           "Illuminazione", "Sport", "Giocattoli"],
    "nl": ["Kleding", "Keuken", "Elektronica", "Huis & Tuin", "Schoenen", "Kantoor",
           "Verlichting", "Sport", "Speelgoed"],
}
BRANDS = ["Northwind", "Acme", "Contoso", "Fabrikam", "Globex", "Initech", "Tailspin",
          "Litware", "Proseware", "Woodgrove", "Adventure Works", "Wingtip", "Coho", "Lumina",
          "Vantor", "Kestrel", "Halden", "Orbis"]
COLORS = {
    "en": ["red", "blue", "green", "black", "white", "grey", "navy", "yellow", "orange",
           "purple", "pink", "beige", "silver", "dark grey", "light blue", "Navy Blue"],
    "de": ["rot", "blau", "grün", "schwarz", "weiß", "grau", "gelb", "dunkelblau", "hellgrau"],
    "fr": ["rouge", "bleu", "vert", "noir", "blanc", "gris", "jaune", "beige"],
    "es": ["rojo", "azul", "verde", "negro", "blanco", "gris", "amarillo", "beige"],
    "pt": ["vermelho", "azul", "verde", "preto", "branco", "cinzento", "amarelo"],
    "it": ["rosso", "blu", "verde", "nero", "bianco", "grigio", "giallo", "beige"],
    "nl": ["rood", "blauw", "groen", "zwart", "wit", "grijs", "geel", "beige"],
}
STATUS_SETS = [
    ["active", "inactive", "pending", "closed"], ["ACTIVE", "INACTIVE", "SUSPENDED"],
    ["A", "I", "P", "X"], ["new", "paid", "shipped", "delivered", "cancelled", "returned"],
    ["open", "in progress", "on hold", "resolved", "closed"], ["draft", "approved", "rejected"],
    ["aktiv", "inaktiv", "gesperrt", "gelöscht"], ["actif", "inactif", "en attente", "clôturé"],
    ["activo", "baja", "pendiente"], ["ativo", "inativo", "pendente"],
    ["attivo", "sospeso", "chiuso"], ["actief", "inactief", "geblokkeerd"],
]
FLAG_PAIRS = [("Y", "N"), ("1", "0"), ("true", "false"), ("J", "N"), ("T", "F"),
              ("yes", "no"), ("X", ""), ("TRUE", "FALSE"), ("ja", "nein"), ("oui", "non"),
              ("S", "N"), ("sim", "não"), ("-1", "0")]
NOTES = {
    "en": ["Call back after 3pm", "Prefers e-mail contact", "Delivered to neighbour",
           "VIP - handle with care", "Paid in cash at counter", "Address verified by phone",
           "Left voicemail", "See ticket {n}", "duplicate of #{n}?", "n/a", "Moved abroad",
           "Requested invoice copy", "Do not call on weekends", "Complaint about late delivery",
           "Migrated from old system", "check!!"],
    "de": ["Bitte nicht vor 10 Uhr liefern", "Kunde wünscht Rechnung per Post",
           "Rückruf erbeten", "Adresse geprüft", "Zahlung per Nachnahme", "siehe Vorgang {n}",
           "Ware beschädigt angekommen", "Ansprechpartner gewechselt", "k.A."],
    "fr": ["Rappeler lundi", "Client absent, avis de passage", "Préfère le courriel",
           "Voir dossier {n}", "Adresse à vérifier", "Paiement en trois fois"],
    "es": ["Llamar por la tarde", "Cliente prefiere correo", "Ver incidencia {n}",
           "Entregar en portería", "Pago pendiente de confirmar"],
    "pt": ["Ligar depois das 18h", "Cliente prefere email", "Ver processo {n}",
           "Entregar ao vizinho", "Morada a confirmar"],
    "it": ["Richiamare domani", "Il cliente preferisce email", "Vedi pratica {n}",
           "Consegna al portiere", "Pagamento alla consegna"],
    "nl": ["Terugbellen na 15 uur", "Klant wil factuur per post", "Zie dossier {n}",
           "Afleveren bij buren", "Adres gecontroleerd"],
}
TEST_CARDS = ["4111111111111111", "5555555555554444", "4012888888881881", "378282246310005",
              "6011111111111117", "5105105105105100", "4242424242424242", "4000056655665556",
              "5200828282828210", "371449635398431", "6011000990139424", "3530111333300000",
              "30569309025904", "4222222222222"]
BANK_CODES = ["EXMP", "TEST", "FAKE", "DEMO", "SMPL", "MOCK", "DUMY", "NULL", "SAMP", "QWER"]
IBAN_LAYOUT = {"DE": (0, 18), "GB": (4, 14), "FR": (0, 23), "ES": (0, 20), "IT": (1, 22),
               "NL": (4, 10), "BE": (0, 12), "AT": (0, 16), "PT": (0, 21), "CH": (0, 17)}
VAT_LAYOUT = {"DE": "9", "FR": "11", "GB": "9", "AT": "U8", "NL": "9B01", "ES": "B8",
              "IT": "11", "PT": "9", "BE": "0_9", "PL": "10", "SE": "12"}
MONTHS_EN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
MONTHS_FULL = ["January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December"]


# ------------------------------------------------------------------------------------ helpers
Gen = Callable[[random.Random, int, dict], list[str]]
_GEN: dict[str, Gen] = {}
_UNKNOWN_GEN: dict[str, Gen] = {}


def _gen(*domains: str):
    def register(fn: Gen) -> Gen:
        for d in domains:
            _GEN[d] = fn
        return fn
    return register


def _unknown(*kinds: str):
    def register(fn: Gen) -> Gen:
        for k in kinds:
            _UNKNOWN_GEN[k] = fn
        return fn
    return register


def _ascii(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def _pool(table: dict, ctx: dict) -> list[str]:
    return table.get(ctx["lang"]) or table["en"]


def _lognum(rng: random.Random, lo: float, hi: float) -> float:
    import math
    return math.exp(rng.uniform(math.log(lo), math.log(hi)))


def _digits(rng: random.Random, k: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(k))


def _letters(rng: random.Random, k: int, alphabet: str = string.ascii_uppercase) -> str:
    return "".join(rng.choice(alphabet) for _ in range(k))


def _city(rng: random.Random, ctx: dict) -> tuple:
    return rng.choice(CITIES[ctx["country"]])


def _postal(rng: random.Random, country: str, prefix: str) -> str:
    if country == "US":
        base = f"{prefix}{rng.randint(0, 99):02d}"
        return base + (f"-{rng.randint(1000, 9999)}" if rng.random() < 0.15 else "")
    if country == "GB":
        inward = f"{rng.randint(1, 9)}{_letters(rng, 2, 'ABDEFGHJLNPQRSTUWXYZ')}"
        return f"{prefix}{rng.randint(1, 20)} {inward}"
    if country == "PT":
        return f"{prefix}{_digits(rng, 4 - len(prefix))}-{_digits(rng, 3)}"
    if country == "NL":
        return f"{prefix}{_digits(rng, 2)} {_letters(rng, 2, 'ABCEGHJKLMNPRTVWXZ')}"
    return prefix + _digits(rng, 5 - len(prefix))


# ------------------------------------------------------------------------------------ dates
_DATE_FMTS: dict[str, Callable[[date], str]] = {
    "iso": lambda d: d.isoformat(),
    "dmy_dot": lambda d: f"{d.day:02d}.{d.month:02d}.{d.year}",
    "dmy_slash": lambda d: f"{d.day:02d}/{d.month:02d}/{d.year}",
    "mdy_slash": lambda d: f"{d.month:02d}/{d.day:02d}/{d.year}",
    "mdy_short": lambda d: f"{d.month}/{d.day}/{d.year % 100:02d}",
    "compact": lambda d: f"{d.year}{d.month:02d}{d.day:02d}",
    "text": lambda d: f"{MONTHS_EN[d.month - 1]} {d.day} {d.year}",
    "text_comma": lambda d: f"{MONTHS_EN[d.month - 1]} {d.day}, {d.year}",
    "dmy_text": lambda d: f"{d.day} {MONTHS_EN[d.month - 1]} {d.year}",
    "dmy_dash_mon": lambda d: f"{d.day:02d}-{MONTHS_EN[d.month - 1]}-{d.year}",
    "dmy_dash": lambda d: f"{d.day:02d}-{d.month:02d}-{d.year}",
    "ymd_slash": lambda d: f"{d.year}/{d.month:02d}/{d.day:02d}",
}
_LOCAL_DATE = {"US": "mdy_slash", "GB": "dmy_slash", "DE": "dmy_dot", "FR": "dmy_slash",
               "ES": "dmy_slash", "PT": "dmy_slash", "IT": "dmy_slash", "NL": "dmy_dash"}


def _date_style(rng: random.Random, ctx: dict) -> str:
    if ctx.get("fmt"):
        return ctx["fmt"]
    r = rng.random()
    if r < 0.35:
        return "iso"
    if r < 0.65:
        return _LOCAL_DATE[ctx["country"]]
    if r < 0.8:
        return "mixed"
    return rng.choice(["compact", "text", "text_comma", "dmy_text", "dmy_dash_mon", "mdy_short",
                       "ymd_slash"])


def _dates(rng: random.Random, n: int, ctx: dict, start: date, end: date) -> list[str]:
    style = _date_style(rng, ctx)
    mix = ["iso", _LOCAL_DATE[ctx["country"]], "compact", "text", "dmy_dot"]
    span = (end - start).days
    out = []
    for _ in range(n):
        d = start + timedelta(days=rng.randrange(span))
        out.append(_DATE_FMTS[rng.choice(mix) if style == "mixed" else style](d))
    return out


@_gen("person.birth_date")
def _birth_dates(rng, n, ctx):
    return _dates(rng, n, ctx, date(1936, 1, 1), date(2006, 12, 31))


@_gen("datetime.date")
def _plain_dates(rng, n, ctx):
    lo, hi = ctx.get("years", (2014, 2025))
    return _dates(rng, n, ctx, date(lo, 1, 1), date(hi, 6, 30))


def _ts_text(dt: datetime, style: str, offset: str) -> str:
    if style == "iso_z":
        return f"{dt:%Y-%m-%dT%H:%M:%S}Z"
    if style == "iso_space":
        return f"{dt:%Y-%m-%d %H:%M:%S}"
    if style == "iso_ms":
        return f"{dt:%Y-%m-%d %H:%M:%S}.{dt.microsecond // 1000:03d}"
    if style == "iso_offset":
        return f"{dt:%Y-%m-%dT%H:%M:%S}{offset}"
    if style == "iso_micro_z":
        return f"{dt:%Y-%m-%dT%H:%M:%S.%f}Z"
    if style == "dmy_dot":
        return f"{dt:%d.%m.%Y %H:%M}"
    if style == "dmy_slash":
        return f"{dt:%d/%m/%Y %H:%M:%S}"
    if style == "us_ampm":
        h = dt.hour % 12 or 12
        return f"{dt.month}/{dt.day}/{dt.year} {h}:{dt.minute:02d} {'AM' if dt.hour < 12 else 'PM'}"
    if style == "epoch":
        return str(int(dt.replace(tzinfo=UTC).timestamp()))
    if style == "date_only":
        return dt.date().isoformat()
    return f"{dt:%Y-%m-%d %H:%M}"


@_gen("datetime.timestamp", "datetime.created_at", "datetime.updated_at")
def _timestamps(rng, n, ctx):
    style = ctx.get("fmt") or rng.choice(
        ["iso_z", "iso_space", "iso_space", "iso_ms", "iso_offset", "iso_micro_z", "dmy_dot",
         "dmy_slash", "us_ampm", "epoch", "date_only", "minutes"])
    offset = rng.choice(["+01:00", "+02:00", "-05:00", "+00:00", "+0100"])
    lo, hi = ctx.get("years", (2016, 2025))
    start = datetime(lo, 1, 1)
    span = int((datetime(hi, 6, 30) - start).total_seconds())
    return [_ts_text(start + timedelta(seconds=rng.randrange(span),
                                       microseconds=rng.randrange(1_000_000)), style, offset)
            for _ in range(n)]


@_gen("datetime.year")
def _years(rng, n, ctx):
    lo, hi = ctx.get("years", (1998, 2025))
    fy = rng.random() < 0.1
    return [("FY" if fy else "") + str(rng.randint(lo, hi)) for _ in range(n)]


@_gen("datetime.month")
def _months(rng, n, ctx):
    style = ctx.get("fmt") or rng.choice(["num", "num", "pad", "short", "full", "period"])
    out = []
    for _ in range(n):
        m = rng.randint(1, 12)
        out.append({"num": str(m), "pad": f"{m:02d}", "short": MONTHS_EN[m - 1],
                    "full": MONTHS_FULL[m - 1],
                    "period": f"{rng.randint(2019, 2025)}-{m:02d}"}[style])
    return out


@_gen("datetime.time_of_day")
def _times(rng, n, ctx):
    style = ctx.get("fmt") or rng.choice(["hm", "hm", "hms", "ampm", "dot", "hhmm"])
    out = []
    for _ in range(n):
        h, m, s = rng.randint(6, 21), rng.choice(range(0, 60, rng.choice([1, 5, 15]))), \
            rng.randint(0, 59)
        if style == "hm":
            out.append(f"{h:02d}:{m:02d}")
        elif style == "hms":
            out.append(f"{h:02d}:{m:02d}:{s:02d}")
        elif style == "ampm":
            out.append(f"{h % 12 or 12}:{m:02d} {'AM' if h < 12 else 'PM'}")
        elif style == "dot":
            out.append(f"{h:02d}.{m:02d}")
        else:
            out.append(f"{h:02d}{m:02d}")
    return out


@_gen("datetime.duration")
def _durations(rng, n, ctx):
    unit = ctx.get("unit") or rng.choice(["s", "min", "h", "hms", "iso", "text"])
    lo, hi = ctx.get("seconds", (20, 30000))
    out = []
    for _ in range(n):
        sec = int(_lognum(rng, lo, hi))
        if unit == "s":
            out.append(str(sec))
        elif unit == "min":
            out.append(str(max(1, round(sec / 60))))
        elif unit == "h":
            out.append(f"{sec / 3600:.1f}")
        elif unit == "d":
            out.append(f"{sec / 86400:.1f}")
        elif unit == "hms":
            out.append(f"{sec // 3600}:{sec // 60 % 60:02d}:{sec % 60:02d}")
        elif unit == "iso":
            h, m = sec // 3600, sec // 60 % 60
            out.append("PT" + (f"{h}H" if h else "") + (f"{m}M" if m or not h else ""))
        else:
            out.append(rng.choice([f"{max(1, round(sec / 60))} min", f"{sec} sec",
                                   f"{sec / 3600:.1f} h"]))
    return out


# ------------------------------------------------------------------------------------ people
@_gen("person.first_name")
def _first_names(rng, n, ctx):
    return [rng.choice(_pool(FIRST, ctx)) for _ in range(n)]


@_gen("person.last_name")
def _last_names(rng, n, ctx):
    return [rng.choice(_pool(LAST, ctx)) for _ in range(n)]


@_gen("person.middle_name")
def _middle_names(rng, n, ctx):
    if ctx["lang"] == "nl":
        return [rng.choice(["van", "de", "van der", "van den", "ter", "den"]) for _ in range(n)]
    firsts = _pool(FIRST, ctx)
    initial = rng.random() < 0.5
    return [rng.choice(firsts)[0] + rng.choice([".", ""]) if initial and rng.random() < 0.8
            else rng.choice(firsts) for _ in range(n)]


@_gen("person.full_name")
def _full_names(rng, n, ctx):
    style = ctx.get("fmt") or rng.choice(["first_last", "first_last", "last_comma", "upper",
                                          "with_mid"])
    out = []
    for _ in range(n):
        f, la = rng.choice(_pool(FIRST, ctx)), rng.choice(_pool(LAST, ctx))
        if style == "last_comma":
            out.append(f"{la}, {f}")
        elif style == "upper":
            out.append(f"{la.upper()} {f}")
        elif style == "with_mid" and rng.random() < 0.5:
            out.append(f"{f} {rng.choice(string.ascii_uppercase)}. {la}")
        else:
            out.append(f"{f} {la}")
    return out


_TITLES = {"en": ["Mr", "Mrs", "Ms", "Dr", "Mr.", "Mrs.", "Miss", "Mx", "Prof."],
           "de": ["Herr", "Frau", "Dr.", "Hr.", "Fr.", "Prof. Dr."],
           "fr": ["M.", "Mme", "Mlle", "Dr", "Me"], "es": ["Sr.", "Sra.", "Srta.", "Dr."],
           "pt": ["Sr.", "Sra.", "Dr.", "Dra."], "it": ["Sig.", "Sig.ra", "Dott.", "Dott.ssa"],
           "nl": ["Dhr.", "Mevr.", "Dr."]}


@_gen("person.title")
def _titles(rng, n, ctx):
    pool = _pool(_TITLES, ctx)
    weights = [6 if i < 2 else 1 for i in range(len(pool))]
    return rng.choices(pool, weights, k=n)


_GENDER_SETS = {"en": [["M", "F"], ["Male", "Female", "Unknown"], ["m", "f", "x"],
                       ["MALE", "FEMALE", "OTHER"]],
                "de": [["M", "W", "D"], ["männlich", "weiblich", "divers"], ["m", "w"]],
                "fr": [["H", "F"], ["homme", "femme"], ["M", "F"]],
                "es": [["H", "M"], ["hombre", "mujer"], ["V", "M"]],
                "pt": [["M", "F"], ["masculino", "feminino"]],
                "it": [["M", "F"], ["maschio", "femmina"]], "nl": [["M", "V"], ["man", "vrouw"]]}


@_gen("person.gender")
def _genders(rng, n, ctx):
    values = ctx.get("set") or rng.choice(_pool(_GENDER_SETS, ctx))
    weights = [10] * min(2, len(values)) + [1] * (len(values) - 2)
    return rng.choices(values, weights, k=n)


@_gen("person.age")
def _ages(rng, n, ctx):
    lo, hi = ctx.get("range", (18, 92))
    return [str(rng.randint(lo, hi)) for _ in range(n)]


@_gen("person.nationality")
def _nationalities(rng, n, ctx):
    style = ctx.get("fmt") or rng.choice(["code", "code", "word", "alpha3"])
    codes = list(DEMONYMS.get(ctx["lang"], DEMONYMS["en"]))
    home = ctx["country"] if ctx["country"] in codes else codes[0]
    out = []
    for _ in range(n):
        c = home if rng.random() < 0.6 else rng.choice(codes)
        out.append({"code": c, "alpha3": COUNTRIES.get(c, ("XXX",))[0],
                    "word": DEMONYMS.get(ctx["lang"], DEMONYMS["en"]).get(c, c)}[style])
    return out


# ------------------------------------------------------------------------------------ contact
def _email_local(rng: random.Random, ctx: dict) -> str:
    f = _ascii(rng.choice(_pool(FIRST, ctx))).lower().replace(" ", "")
    la = _ascii(rng.choice(_pool(LAST, ctx))).lower().replace(" ", "").replace("'", "")
    return rng.choice([f"{f}.{la}", f"{f[0]}.{la}", f"{f}{la[:1]}", f"{f}_{la}",
                       f"{la}{rng.randint(1, 99)}", f"{f}.{la}{rng.randint(60, 99)}",
                       rng.choice(["info", "sales", "office", "kontakt", "contact", "billing"])])


@_gen("contact.email")
def _emails(rng, n, ctx):
    upper = rng.random() < 0.1
    out = []
    for _ in range(n):
        host = rng.choice(["example.com", "example.org", "example.net", "mail.example.com",
                           "shop.example.org", "corp.example.net"])
        e = f"{_email_local(rng, ctx)}@{host}"
        out.append(e.upper() if upper else e)
    return out


def _phone(rng: random.Random, country: str, kind: str, style: int) -> str:
    tail2 = f"{rng.randint(0, 99):02d}"
    tail3 = f"{rng.randint(0, 999):03d}"
    if country == "US":
        area = rng.choice(["212", "312", "415", "617", "206", "305", "512", "720"])
        local = f"555-01{tail2}"
        return [f"({area}) {local}", f"{area}-{local}", f"+1 {area} 555 01{tail2}",
                f"{area}55501{tail2}", f"+1.{area}.555.01{tail2}", local][style % 6]
    if country == "GB":
        if kind == "mobile":
            return [f"07700 900{tail3}", f"+44 7700 900{tail3}", f"07700900{tail3}",
                    f"+44 (0)7700 900{tail3}", f"0044 7700 900{tail3}", f"07700 900 {tail3}"][
                style % 6]
        return [f"020 7946 0{tail3}", f"+44 20 7946 0{tail3}", f"(020) 7946 0{tail3}",
                f"02079460{tail3}", f"+44 (0)20 7946 0{tail3}", f"020-7946-0{tail3}"][style % 6]
    if country == "FR":
        if kind == "mobile":
            return [f"06 39 98 {tail2[0]}0 {tail2}", f"+33 6 39 98 {tail2[0]}0 {tail2}",
                    f"0639980{tail3}"][style % 3]
        return [f"01 99 00 {tail2[0]}1 {tail2}", f"+33 1 99 00 {tail2[0]}1 {tail2}",
                f"01.99.00.{tail2[0]}1.{tail2}", f"0199001{tail3}"][style % 4]
    prefix = {"DE": ("+49", "0", "30 123456", "151 234567"),
              "ES": ("+34", "", "91 123 45", "600 123 4"),
              "PT": ("+351", "", "21 123 45", "91 234 5"),
              "IT": ("+39", "", "06 1234 56", "333 123 45"),
              "NL": ("+31", "0", "20 123 45", "6 1234 56")}[country]
    cc, trunk, land, mob = prefix
    body = (mob if kind == "mobile" else land) + tail2
    return [f"{cc} {body}", f"{trunk}{body}", f"{trunk}{body}".replace(" ", ""),
            f"00{cc[1:]} {body}", f"{cc} ({trunk}){body}" if trunk else f"{cc}{body}",
            f"{trunk}{body}".replace(" ", "/", 1)][style % 6]


@_gen("contact.phone", "contact.fax")
def _phones(rng, n, ctx):
    style = rng.randrange(6)
    mixed = rng.random() < 0.3
    return [_phone(rng, ctx["country"], "phone", rng.randrange(6) if mixed else style)
            for _ in range(n)]


@_gen("contact.mobile")
def _mobiles(rng, n, ctx):
    style = rng.randrange(6)
    mixed = rng.random() < 0.3
    return [_phone(rng, ctx["country"], "mobile", rng.randrange(6) if mixed else style)
            for _ in range(n)]


def _company_slug(rng: random.Random) -> str:
    return _ascii(rng.choice(COMPANY_STEMS)).lower() + rng.choice(["", "", "-shop", "-group",
                                                                   "24", "-online"])


@_gen("contact.website")
def _websites(rng, n, ctx):
    out = []
    for _ in range(n):
        slug = _company_slug(rng)
        tld = rng.choice(["example.com", "example.org", "example.net"])
        out.append(rng.choice([f"https://www.{slug}.{tld}", f"http://{slug}.{tld}",
                               f"www.{slug}.{tld}", f"{slug}.{tld}",
                               f"https://{slug}.{tld}/{ctx['lang']}/",
                               f"https://www.{tld}/{slug}"]))
    return out


@_gen("contact.social_handle")
def _handles(rng, n, ctx):
    out = []
    for _ in range(n):
        f = _ascii(rng.choice(_pool(FIRST, ctx))).lower()
        la = _ascii(rng.choice(_pool(LAST, ctx))).lower().replace(" ", "").replace("'", "")
        h = rng.choice([f"{f}_{la}", f"{f}{la[:2]}", f"{f}.{la}", f"{la}{rng.randint(1, 999)}",
                        f"the_{f}", f"{f}_{rng.randint(80, 99)}"])
        out.append("@" + h + (f"@social.example.{rng.choice(['org', 'net'])}"
                              if rng.random() < 0.1 else ""))
    return out


# ------------------------------------------------------------------------------------ address
def _street(rng: random.Random, ctx: dict) -> str:
    patterns, names = STREETS.get(ctx["lang"], STREETS["en"])
    return rng.choice(patterns).format(rng.choice(names))


def _house_number(rng: random.Random) -> str:
    n = str(int(_lognum(rng, 1, 400)))
    r = rng.random()
    if r < 0.12:
        return n + rng.choice("abcAB")
    if r < 0.17:
        return f"{n}-{int(n) + 2}"
    return n


@_gen("address.street")
def _streets(rng, n, ctx):
    with_number = rng.random() < 0.35
    out = []
    for _ in range(n):
        s, h = _street(rng, ctx), _house_number(rng)
        if with_number:
            s = f"{h} {s}" if ctx["lang"] in ("en", "fr") else f"{s} {h}"
        out.append(s)
    return out


@_gen("address.house_number")
def _house_numbers(rng, n, ctx):
    return [_house_number(rng) for _ in range(n)]


@_gen("address.city")
def _cities(rng, n, ctx):
    return [_city(rng, ctx)[0] for _ in range(n)]


@_gen("address.postal_code")
def _postals(rng, n, ctx):
    out = []
    for _ in range(n):
        c = _city(rng, ctx)
        out.append(_postal(rng, ctx["country"], c[4]))
    return out


@_gen("address.state")
def _states(rng, n, ctx):
    return [_city(rng, ctx)[1] for _ in range(n)]


@_gen("address.country")
def _country_names(rng, n, ctx):
    codes = list(COUNTRIES)
    home = ctx["country"]
    lang = ctx["lang"] if rng.random() < 0.8 else "en"
    return [COUNTRIES[home if rng.random() < 0.55 else rng.choice(codes)][1][lang]
            for _ in range(n)]


@_gen("address.country_code")
def _country_codes(rng, n, ctx):
    alpha3 = ctx.get("fmt") == "alpha3" or (not ctx.get("fmt") and rng.random() < 0.2)
    codes, home = list(COUNTRIES), ctx["country"]
    return [(COUNTRIES[c][0] if alpha3 else c)
            for c in (home if rng.random() < 0.55 else rng.choice(codes) for _ in range(n))]


@_gen("address.full_address")
def _full_addresses(rng, n, ctx):
    out = []
    for _ in range(n):
        city, state, _, _, prefix = _city(rng, ctx)
        country = ctx["country"]
        pc = _postal(rng, country, prefix)
        street, h = _street(rng, ctx), _house_number(rng)
        cname = COUNTRIES[country][1][ctx["lang"]]
        if country == "US":
            s = f"{h} {street}, {city}, {state} {pc}"
        elif country == "GB":
            s = f"{h} {street}, {city} {pc}"
        elif country == "FR":
            s = f"{h} {street}, {pc} {city}"
        else:
            s = f"{street} {h}, {pc} {city}"
        if rng.random() < 0.4:
            s += f", {cname}"
        out.append(s)
    return out


# ------------------------------------------------------------------------------------ money
_SYMBOL = {"USD": "$", "EUR": "€", "GBP": "£"}


def _money_text(x: float, style: str, ccy: str) -> str:
    sign, x = ("-" if x < 0 else ""), abs(x)
    us = f"{x:,.2f}"
    eu = us.replace(",", "_").replace(".", ",").replace("_", ".")
    if style == "plain":
        return f"{sign}{x:.2f}"
    if style == "us":
        return sign + us
    if style == "eu":
        return sign + eu
    if style == "symbol":
        sym = _SYMBOL.get(ccy, "")
        return f"{sign}{eu} {sym}".strip() if ccy == "EUR" else f"{sign}{sym}{us}"
    if style == "code":
        return f"{sign}{x:.2f} {ccy}"
    if style == "crdr":
        return f"{x:.2f} {'DR' if sign else 'CR'}"
    if style == "short":
        return f"{sign}{x:.2f}".rstrip("0").rstrip(".") if x % 1 else f"{sign}{int(x)}"
    return f"{sign}{x:.2f}"


def _money_style(rng: random.Random, ctx: dict) -> str:
    if ctx.get("fmt"):
        return ctx["fmt"]
    eu_country = ctx["country"] not in ("US", "GB")
    return rng.choice(["plain", "plain", "short", "symbol", "code",
                       "eu" if eu_country else "us", "eu" if eu_country else "plain"])


def _amounts(rng, n, ctx, lo, hi, negative=0.0):
    style = _money_style(rng, ctx)
    ccy = ctx.get("currency") or CURRENCY[ctx["country"]]
    lo, hi = ctx.get("range", (lo, hi))
    return [_money_text(_lognum(rng, lo, hi) * (-1 if rng.random() < negative else 1), style,
                        ccy) for _ in range(n)]


@_gen("money.amount")
def _money_amounts(rng, n, ctx):
    return _amounts(rng, n, ctx, 5, 8000, negative=0.03)


@_gen("money.price")
def _prices(rng, n, ctx):
    style = ctx.get("fmt") or rng.choice(["plain", "plain", "charm", "symbol", "eu"])
    if style != "charm":
        return _amounts(rng, n, {**ctx, "fmt": style}, 0.5, 400)
    lo, hi = ctx.get("range", (1, 400))
    return [f"{int(_lognum(rng, lo, hi))}.{rng.choice(['99', '95', '49', '00', '90'])}"
            for _ in range(n)]


@_gen("money.balance")
def _balances(rng, n, ctx):
    if not ctx.get("fmt") and rng.random() < 0.15:
        ctx = {**ctx, "fmt": "crdr"}
    return _amounts(rng, n, ctx, 1, 60000, negative=0.25)


@_gen("money.amount_minor")
def _minor_amounts(rng, n, ctx):
    lo, hi = ctx.get("range", (50, 500000))
    return [str(int(_lognum(rng, lo, hi)) * (-1 if rng.random() < 0.02 else 1))
            for _ in range(n)]


_CURRENCIES = ["USD", "EUR", "GBP", "CHF", "SEK", "PLN", "JPY", "DKK", "CAD", "NOK", "CZK"]


@_gen("money.currency_code")
def _currency_codes(rng, n, ctx):
    home = ctx.get("currency") or CURRENCY[ctx["country"]]
    lower = rng.random() < 0.1
    out = [home if rng.random() < 0.7 else rng.choice(_CURRENCIES) for _ in range(n)]
    return [c.lower() for c in out] if lower else out


_VAT = {"DE": [19, 7], "FR": [20, 10, 5.5], "ES": [21, 10, 4], "PT": [23, 13, 6],
        "IT": [22, 10, 4], "NL": [21, 9], "GB": [20, 5, 0], "US": [0, 6.25, 7.25, 8.875, 4]}


@_gen("money.tax_rate")
def _tax_rates(rng, n, ctx):
    style = ctx.get("fmt") or rng.choice(["pct", "num", "frac", "dec", "pct_space"])
    rates = _VAT[ctx["country"]]
    out = []
    for _ in range(n):
        r = rng.choice(rates)
        text = f"{r:g}"
        out.append({"pct": f"{text}%", "pct_space": f"{text} %", "num": text,
                    "frac": f"{r / 100:.4g}" if r else "0", "dec": f"{r:.2f}"}[style])
    return out


# ------------------------------------------------------------------------------------ identifiers
@_gen("identifier.key")
def _keys(rng, n, ctx):
    start = ctx.get("start") or rng.choice([1, 1, 100, 1000, 10001, rng.randint(2, 90000)])
    gaps = rng.random() < 0.5
    out, k = [], start
    for _ in range(n):
        out.append(str(k))
        k += rng.randint(1, 7) if gaps else 1
    if rng.random() < 0.5:
        rng.shuffle(out)
    return out


@_gen("identifier.uuid")
def _uuids(rng, n, ctx):
    style = rng.choice(["lower", "lower", "lower", "upper", "brace"])
    out = []
    for _ in range(n):
        u = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        out.append(u.upper() if style == "upper" else "{" + u + "}" if style == "brace" else u)
    return out


def _numbered(rng: random.Random, n: int, patterns: list[str], lo: int, hi: int) -> list[str]:
    pattern = rng.choice(patterns)
    start = rng.randint(lo, hi)
    year = rng.randint(2018, 2025)
    out = []
    for i in range(n):
        k = start + i * rng.randint(1, 3)
        out.append(pattern.format(k=k, y=year if rng.random() < 0.9 else year + 1))
    rng.shuffle(out)
    return out


@_gen("identifier.customer_id")
def _customer_ids(rng, n, ctx):
    return _numbered(rng, n, ["CUST-{k:06d}", "C{k:05d}", "K-{k}", "{k:06d}", "KD{k:05d}",
                              "CL{k:05d}", "D-{k:06d}", "{k}"], 100, 90000)


@_gen("identifier.order_id")
def _order_ids(rng, n, ctx):
    return _numbered(rng, n, ["ORD-{y}-{k:06d}", "SO{k:06d}", "#{k:06d}", "PO-{k:07d}",
                              "{k:08d}", "A-{y}-{k:06d}", "BE-{k:05d}"], 1000, 900000)


@_gen("identifier.invoice_number")
def _invoice_numbers(rng, n, ctx):
    return _numbered(rng, n, ["INV-{y}-{k:04d}", "RE-{y}-{k:05d}", "F{y}/{k:04d}",
                              "FT {y}/{k}", "FA-{k:05d}", "{y}-{k:06d}", "R{k:07d}"], 1, 9000)


_SKU_PARTS = ["TSH", "MUG", "CBL", "LMP", "SHO", "BAG", "BOT", "KB", "MS", "CHR", "HD", "UMB"]


@_gen("identifier.sku")
def _skus(rng, n, ctx):
    style = rng.randrange(4)
    out = []
    for _ in range(n):
        p = rng.choice(_SKU_PARTS)
        if style == 0:
            out.append(f"{p}-{rng.choice(['BLU', 'RED', 'BLK', 'WHT', 'GRN'])}-"
                       f"{rng.choice(['S', 'M', 'L', 'XL'])}")
        elif style == 1:
            out.append(f"SKU-{rng.randint(10000, 99999)}")
        elif style == 2:
            out.append(f"{rng.randint(100, 999)}-{rng.randint(1000, 9999)}-"
                       f"{rng.randint(1, 99):02d}")
        else:
            out.append(f"{p}{rng.randint(10, 999)}-{rng.choice('ABC')}{rng.randint(1, 9)}")
    return out


def _check_digit_ean(body: str) -> str:
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return body + str((10 - total % 10) % 10)


@_gen("identifier.ean")
def _eans(rng, n, ctx):
    kind = rng.choice(["ean13", "ean13", "ean13", "upc", "mixed", "gtin14"])
    out = []
    for _ in range(n):
        k = rng.choice(["ean13", "ean13", "ean8", "upc"]) if kind == "mixed" else kind
        if k == "ean13":
            out.append(_check_digit_ean(rng.choice(["400", "401", "402", "200", "290"])
                                        + _digits(rng, 9)))
        elif k == "ean8":
            out.append(_check_digit_ean("2" + _digits(rng, 6)))
        elif k == "upc":
            out.append(_check_digit_ean("0" + _digits(rng, 10)))
        else:
            out.append(_check_digit_ean("1400" + _digits(rng, 9)))
    return out


def _iban(rng: random.Random, country: str) -> str:
    letters, digits = IBAN_LAYOUT[country]
    bank = rng.choice(BANK_CODES) if letters == 4 else _letters(rng, letters)
    bban = bank + _digits(rng, digits)
    numeric = "".join(str(int(ch, 36)) for ch in bban + country + "00")
    return f"{country}{98 - int(numeric) % 97:02d}{bban}"


@_gen("identifier.iban")
def _ibans(rng, n, ctx):
    home = ctx["country"] if ctx["country"] in IBAN_LAYOUT else "DE"
    grouped = rng.random() < 0.3
    out = []
    for _ in range(n):
        iban = _iban(rng, home if rng.random() < 0.8 else rng.choice(list(IBAN_LAYOUT)))
        out.append(" ".join(iban[i:i + 4] for i in range(0, len(iban), 4)) if grouped else iban)
    return out


@_gen("identifier.bic")
def _bics(rng, n, ctx):
    out = []
    for _ in range(n):
        country = ctx["country"] if rng.random() < 0.8 else rng.choice(list(IBAN_LAYOUT))
        code = rng.choice(BANK_CODES) + country + rng.choice(["FF", "MM", "2L", "PP", "XX", "22"])
        out.append(code + (rng.choice(["XXX", "100", "HAM"]) if rng.random() < 0.4 else ""))
    return out


@_gen("identifier.vat_id")
def _vat_ids(rng, n, ctx):
    out = []
    for _ in range(n):
        c = ctx["country"] if rng.random() < 0.75 else rng.choice(list(VAT_LAYOUT))
        c = c if c in VAT_LAYOUT else "DE"
        layout = VAT_LAYOUT[c]
        body = {"U8": "U" + _digits(rng, 8), "9B01": _digits(rng, 9) + "B01",
                "B8": "B" + _digits(rng, 8), "0_9": "0" + _digits(rng, 9)}.get(layout) \
            or _digits(rng, int(layout))
        out.append(f"{c}{' ' if rng.random() < 0.1 else ''}{body}")
    return out


@_gen("identifier.national_id")
def _national_ids(rng, n, ctx):
    uk = ctx["country"] == "GB" or (ctx["country"] != "US" and rng.random() < 0.4)
    dashed = rng.random() < 0.7
    out = []
    for _ in range(n):
        if uk:
            d = _digits(rng, 6)
            out.append(f"QQ {d[:2]} {d[2:4]} {d[4:]} {rng.choice('ABCD')}" if dashed
                       else f"QQ{d}{rng.choice('ABCD')}")
        else:
            area = rng.choice(["666", "987"])
            group = "65" if area == "987" else f"{rng.randint(10, 99)}"
            serial = f"432{rng.randint(0, 9)}" if area == "987" else _digits(rng, 4)
            out.append(f"{area}-{group}-{serial}" if dashed else f"{area}{group}{serial}")
    return out


@_gen("identifier.passport")
def _passports(rng, n, ctx):
    style = rng.randrange(4)
    alnum = "CFGHJKLMNPRTVWXYZ0123456789"
    return [[lambda: "X" + _digits(rng, 7), lambda: "C" + _letters(rng, 8, alnum),
             lambda: _digits(rng, 9), lambda: f"{rng.randint(10, 24)}{_letters(rng, 2)}"
             f"{_digits(rng, 5)}"][style]() for _ in range(n)]


@_gen("identifier.credit_card")
def _cards(rng, n, ctx):
    style = rng.choice(["plain", "plain", "spaced", "dashed"])
    out = []
    for _ in range(n):
        pan = rng.choice(TEST_CARDS)
        if style == "spaced":
            pan = " ".join(pan[i:i + 4] for i in range(0, len(pan), 4))
        elif style == "dashed":
            pan = "-".join(pan[i:i + 4] for i in range(0, len(pan), 4))
        out.append(pan)
    return out


@_gen("identifier.account_number")
def _account_numbers(rng, n, ctx):
    style = rng.randrange(4)
    out = []
    for _ in range(n):
        if style == 0:
            out.append(_digits(rng, 10))
        elif style == 1:
            out.append(f"{_digits(rng, 2)}-{_digits(rng, 2)}-{_digits(rng, 2)} {_digits(rng, 8)}")
        elif style == 2:
            out.append("000" + _digits(rng, 9))
        else:
            out.append(f"{_digits(rng, 4)}-{_digits(rng, 6)}")
    return out


# ------------------------------------------------------------------------------------ geo
def _coords(rng: random.Random, ctx: dict) -> tuple[float, float]:
    _, _, lat, lon, _ = _city(rng, ctx)
    return lat + rng.uniform(-0.15, 0.15), lon + rng.uniform(-0.15, 0.15)


@_gen("geo.latitude")
def _latitudes(rng, n, ctx):
    places = rng.choice([4, 5, 6])
    return [f"{_coords(rng, ctx)[0]:.{places}f}" for _ in range(n)]


@_gen("geo.longitude")
def _longitudes(rng, n, ctx):
    places = rng.choice([4, 5, 6])
    return [f"{_coords(rng, ctx)[1]:.{places}f}" for _ in range(n)]


@_gen("geo.point")
def _points(rng, n, ctx):
    style = rng.choice(["comma", "comma_space", "wkt", "semicolon"])
    out = []
    for _ in range(n):
        lat, lon = _coords(rng, ctx)
        out.append({"comma": f"{lat:.5f},{lon:.5f}", "comma_space": f"{lat:.4f}, {lon:.4f}",
                    "wkt": f"POINT({lon:.5f} {lat:.5f})", "semicolon": f"{lat:.5f};{lon:.5f}"}[
            style])
    return out


@_gen("geo.timezone")
def _timezones(rng, n, ctx):
    c = ctx["country"]
    style = rng.choice(["iana", "iana", "iana", "abbr", "offset"])
    pool = {"iana": TIMEZONES[c], "abbr": TZ_ABBR.get(c, ["CET", "CEST"]),
            "offset": TZ_OFFSET.get(c, ["+01:00", "+02:00"])}[style]
    extra = ["UTC", "Europe/London", "America/New_York", "Asia/Tokyo", "Australia/Sydney"]
    return [rng.choice(pool) if rng.random() < 0.85 else rng.choice(extra) for _ in range(n)]


# ------------------------------------------------------------------------------------ org
@_gen("org.company_name")
def _companies(rng, n, ctx):
    lang = ctx["lang"]
    out = []
    for _ in range(n):
        stem = rng.choice(COMPANY_STEMS)
        r = rng.random()
        if r < 0.4:
            name = f"{stem} {rng.choice(COMPANY_FORMS[lang])}"
        elif r < 0.75:
            name = f"{stem} {rng.choice(COMPANY_TRADES[lang])} {rng.choice(COMPANY_FORMS[lang])}"
        elif r < 0.9:
            name = f"{rng.choice(_pool(LAST, ctx))} & {rng.choice(_pool(LAST, ctx))}"
        else:
            name = f"{stem} {rng.choice(COMPANY_TRADES[lang])}"
        out.append(name)
    return out


@_gen("org.department")
def _departments(rng, n, ctx):
    return [rng.choice(_pool(DEPARTMENTS, ctx)) for _ in range(n)]


@_gen("org.job_title")
def _job_titles(rng, n, ctx):
    return [rng.choice(_pool(JOB_TITLES, ctx)) for _ in range(n)]


@_gen("org.industry")
def _industries(rng, n, ctx):
    return [rng.choice(_pool(INDUSTRIES, ctx)) for _ in range(n)]


# ------------------------------------------------------------------------------------ product
@_gen("product.name")
def _product_names(rng, n, ctx):
    out = []
    for _ in range(n):
        noun = rng.choice(_pool(PRODUCT_NOUNS, ctx))
        r = rng.random()
        if r < 0.4:
            out.append(f"{rng.choice(PRODUCT_ADJ)} {noun}")
        elif r < 0.7:
            out.append(f"{noun} {rng.choice(PRODUCT_ADJ)} {rng.randint(1, 9)}")
        else:
            out.append(f"{noun} {rng.choice(['330ml', '1L', '2m', '9W', 'A5', '20L', 'XL'])}")
    return out


@_gen("product.category")
def _categories(rng, n, ctx):
    return [rng.choice(_pool(CATEGORIES, ctx)) for _ in range(n)]


_DESC = {
    "en": ["{a} {n} made from recycled materials.", "Durable {n} with a {c} finish.",
           "Our best-selling {n}, now in {c}.", "{n} for everyday use, easy to clean.",
           "Lightweight {n}; ships in plastic-free packaging.",
           "Premium {n} with two-year warranty. Dimensions see data sheet."],
    "de": ["{n} aus recyceltem Material, Farbe {c}.", "Robuster {n} für den täglichen Gebrauch.",
           "{a} {n} – spülmaschinenfest.", "Unser Bestseller: {n} in {c}."],
    "fr": ["{n} {a} en matériaux recyclés.", "{n} robuste, coloris {c}.",
           "Notre meilleure vente : {n}."],
    "es": ["{n} {a} de materiales reciclados.", "{n} resistente en color {c}."],
    "pt": ["{n} {a} em materiais reciclados.", "{n} resistente, cor {c}."],
    "it": ["{n} {a} in materiali riciclati.", "{n} resistente, colore {c}."],
    "nl": ["{n} van gerecycled materiaal.", "Stevige {n} in de kleur {c}."],
}


@_gen("product.description")
def _descriptions(rng, n, ctx):
    return [rng.choice(_pool(_DESC, ctx)).format(
        a=rng.choice(PRODUCT_ADJ), n=rng.choice(_pool(PRODUCT_NOUNS, ctx)),
        c=rng.choice(_pool(COLORS, ctx))) for _ in range(n)]


@_gen("product.brand")
def _brands(rng, n, ctx):
    return [rng.choice(BRANDS) for _ in range(n)]


@_gen("product.quantity")
def _quantities(rng, n, ctx):
    lo, hi = ctx.get("range", (1, 250))
    suffix = rng.random() < 0.1
    return [str(int(_lognum(rng, lo, hi))) + (" pcs" if suffix else "") for _ in range(n)]


_WEIGHT_RANGE = {"kg": (0.05, 40), "g": (20, 5000), "lb": (0.1, 90), "oz": (1, 64)}


@_gen("product.weight")
def _weights(rng, n, ctx):
    unit = ctx.get("unit") or rng.choice(["kg", "kg", "g", "lb"])
    suffix = ctx.get("suffix", rng.random() < 0.3)
    lo, hi = ctx.get("range", _WEIGHT_RANGE[unit])
    comma = ctx["country"] not in ("US", "GB") and rng.random() < 0.3
    out = []
    for _ in range(n):
        x = _lognum(rng, lo, hi)
        text = str(int(x)) if unit == "g" else f"{x:.{rng.choice([1, 2, 3])}f}"
        text = text.replace(".", ",") if comma else text
        out.append(f"{text} {unit}" if suffix else text)
    return out


@_gen("product.dimension")
def _dimensions(rng, n, ctx):
    unit = ctx.get("unit") or rng.choice(["cm", "cm", "mm", "in"])
    triple = ctx.get("fmt") == "lwh" or (not ctx.get("fmt") and rng.random() < 0.3)
    suffix = ctx.get("suffix", rng.random() < 0.4)
    lo, hi = ctx.get("range", {"cm": (2, 200), "mm": (20, 2000), "in": (1, 80), "m": (0.2, 5)}[
        unit])
    out = []
    for _ in range(n):
        xs = [_lognum(rng, lo, hi) for _ in range(3 if triple else 1)]
        text = " x ".join(f"{x:.1f}".rstrip("0").rstrip(".") for x in xs)
        out.append(f"{text} {unit}" if suffix else text)
    return out


@_gen("product.color")
def _colors(rng, n, ctx):
    hexes = rng.random() < 0.15
    return [("#" + _letters(rng, 6, "0123456789ABCDEF")) if hexes and rng.random() < 0.8
            else rng.choice(_pool(COLORS, ctx)) for _ in range(n)]


# ------------------------------------------------------------------------------------ general
@_gen("general.status")
def _statuses(rng, n, ctx):
    values = ctx.get("set") or rng.choice(STATUS_SETS)
    weights = [max(1, 8 - 2 * i) for i in range(len(values))]
    return rng.choices(values, weights, k=n)


@_gen("general.flag")
def _flags(rng, n, ctx):
    yes, no = ctx.get("set") or rng.choice(FLAG_PAIRS)
    p = rng.uniform(0.1, 0.9)
    return [yes if rng.random() < p else no for _ in range(n)]


@_gen("general.percentage")
def _percentages(rng, n, ctx):
    style = ctx.get("fmt") or rng.choice(["pct", "num", "dec", "frac"])
    lo, hi = ctx.get("range", (0, 100))
    out = []
    for _ in range(n):
        x = rng.uniform(lo, hi)
        out.append({"pct": f"{x:.0f}%", "num": f"{x:.0f}", "dec": f"{x:.2f}",
                    "frac": f"{x / 100:.3f}"}[style])
    return out


@_gen("general.rating")
def _ratings(rng, n, ctx):
    style = rng.choice(["int5", "half5", "of5", "int10", "stars"])
    out = []
    for _ in range(n):
        k = rng.choices([1, 2, 3, 4, 5], [1, 1, 2, 4, 5])[0]
        out.append({"int5": str(k), "half5": f"{max(1.0, k - rng.choice([0, 0.5])):.1f}",
                    "of5": f"{k}/5", "int10": str(min(10, 2 * k - rng.randint(0, 1))),
                    "stars": "★" * k + "☆" * (5 - k)}[style])
    return out


_LANGS = {"en": ["en", "en-US", "en-GB"], "de": ["de", "de-DE", "de-AT", "de_CH"],
          "fr": ["fr", "fr-FR", "fr_BE", "fr-CA"], "es": ["es", "es-ES", "es-MX"],
          "pt": ["pt", "pt-PT", "pt-BR"], "it": ["it", "it-IT"], "nl": ["nl", "nl-NL", "nl-BE"]}


@_gen("general.language_code")
def _language_codes(rng, n, ctx):
    home = _pool(_LANGS, ctx)
    short = rng.random() < 0.5
    upper = rng.random() < 0.15
    out = []
    for _ in range(n):
        code = rng.choice(home) if rng.random() < 0.7 else rng.choice(
            [c for v in _LANGS.values() for c in v])
        code = code[:2] if short else code
        out.append(code.upper() if upper and short else code)
    return out


@_gen("general.note")
def _notes(rng, n, ctx):
    return [rng.choice(_pool(NOTES, ctx)).format(n=rng.randint(1000, 99999)) for _ in range(n)]


# ---------------------------------------------------------------------- network, accounts, system
@_gen("network.ip_address")
def _ips(rng, n, ctx):
    v6 = rng.random() < 0.15
    out = []
    for _ in range(n):
        if v6 or rng.random() < 0.05:
            out.append(f"2001:db8:{rng.randint(0, 0xffff):x}::{rng.randint(1, 0xffff):x}")
        else:
            net = rng.choice(["192.0.2", "198.51.100", "203.0.113", f"10.0.{rng.randint(0, 9)}",
                              "192.168.1", f"172.16.{rng.randint(0, 31)}"])
            out.append(f"{net}.{rng.randint(1, 254)}")
    return out


@_gen("network.mac_address")
def _macs(rng, n, ctx):
    style = rng.choice([":", "-", ":", "cisco"])
    lower = rng.random() < 0.4
    out = []
    for _ in range(n):
        octets = ["00", "00", "5E", "00", "53", f"{rng.randint(0, 255):02X}"] \
            if rng.random() < 0.6 else ["02"] + [f"{rng.randint(0, 255):02X}" for _ in range(5)]
        text = ("".join(octets[0:2]) + "." + "".join(octets[2:4]) + "." + "".join(octets[4:])
                if style == "cisco" else style.join(octets))
        out.append(text.lower() if lower or style == "cisco" else text)
    return out


@_gen("network.user_agent")
def _user_agents(rng, n, ctx):
    out = []
    for _ in range(n):
        chrome = f"{rng.randint(100, 126)}.0.{rng.randint(1000, 6999)}.{rng.randint(10, 200)}"
        out.append(rng.choice([
            (f"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            f"Chrome/{chrome} Safari/537.36"),
            (f"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like "
            f"Gecko) Version/{rng.randint(14, 17)}.{rng.randint(0, 6)} Safari/605.1.15"),
            (f"Mozilla/5.0 (X11; Linux x86_64; rv:{rng.randint(100, 125)}.0) Gecko/20100101 "
            f"Firefox/{rng.randint(100, 125)}.0"),
            (f"Mozilla/5.0 (iPhone; CPU iPhone OS {rng.randint(14, 17)}_{rng.randint(0, 6)} like "
            f"Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148"),
            (f"Mozilla/5.0 (Linux; Android {rng.randint(10, 14)}; SM-G99{rng.randint(0, 9)}B) "
            f"AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{chrome} Mobile Safari/537.36"),
            f"curl/{rng.randint(7, 8)}.{rng.randint(0, 80)}.{rng.randint(0, 9)}",
            f"python-requests/2.{rng.randint(20, 32)}.{rng.randint(0, 3)}",
            f"okhttp/4.{rng.randint(0, 12)}.{rng.randint(0, 9)}",
        ]))
    return out


@_gen("account.username")
def _usernames(rng, n, ctx):
    style = rng.randrange(4)
    out = []
    for _ in range(n):
        f = _ascii(rng.choice(_pool(FIRST, ctx))).lower()
        la = _ascii(rng.choice(_pool(LAST, ctx))).lower().replace(" ", "").replace("'", "")
        out.append([f"{f[0]}{la}", f"{f}.{la}", f"{f}_{la[:3]}{rng.randint(1, 99)}",
                    f"{la[:6]}{f[:2]}"][style] if rng.random() < 0.95
                   else rng.choice(["admin", "svc_batch", "guest", "sysop", "etl_user"]))
    return out


_B64 = string.ascii_letters + string.digits + "./"


@_gen("account.password_hash")
def _password_hashes(rng, n, ctx):
    kind = rng.choice(["bcrypt", "bcrypt", "sha256", "md5", "argon2", "pbkdf2"])
    out = []
    for _ in range(n):
        if kind == "bcrypt":
            out.append(f"$2{rng.choice('aby')}${rng.choice([10, 12])}${_letters(rng, 53, _B64)}")
        elif kind == "argon2":
            out.append(f"$argon2id$v=19$m=65536,t=3,p=4${_letters(rng, 22, _B64[:-2] + '+/')}"
                       f"${_letters(rng, 43, _B64[:-2] + '+/')}")
        elif kind == "pbkdf2":
            out.append(f"pbkdf2_sha256$600000${_letters(rng, 22, _B64[:-2])}$"
                       f"{_letters(rng, 43, _B64[:-2] + '+/')}=")
        else:
            out.append(_letters(rng, 64 if kind == "sha256" else 32, "0123456789abcdef"))
    return out


@_gen("system.file_path")
def _file_paths(rng, n, ctx):
    style = rng.randrange(4)
    out = []
    for _ in range(n):
        k = rng.randint(1, 99999)
        name = rng.choice([f"invoice_{k:05d}.pdf", f"scan_{k}.tif", f"export_{k}.csv",
                           f"IMG_{k:04d}.JPG", f"contract_{k}.docx", f"report_{k}.xlsx"])
        out.append([f"/var/data/{rng.choice(['scans', 'exports', 'uploads'])}/{name}",
                    f"C:\\Users\\{rng.choice(['jdoe', 'admin', 'etl'])}\\Documents\\{name}",
                    f"\\\\fileserver\\{rng.choice(['archiv', 'share', 'docs'])}\\{name}",
                    f"s3://example-bucket/{rng.randint(2019, 2025)}/{name}"][style])
    return out


@_gen("system.version")
def _versions(rng, n, ctx):
    style = rng.randrange(4)
    out = []
    for _ in range(n):
        a, b, c = rng.randint(0, 14), rng.randint(0, 30), rng.randint(0, 40)
        out.append([f"{a}.{b}.{c}", f"v{a}.{b}.{c}", f"{a}.{b}",
                    f"{a}.{b}.{c}" + rng.choice(["", "", "-beta.1", "-rc.2", "+build.7"])][style])
    return out


# ------------------------------------------------------------------------------ hard negatives
# Columns of no catalog domain: codes, counters, hashes and look-alikes of real domains.
def _choices(pool: list[str]) -> Gen:
    return lambda rng, n, ctx: [rng.choice(pool) for _ in range(n)]


_UNKNOWN_GEN.update({
    "phone_model": _choices(["iPhone 13", "iPhone 15 Pro", "Galaxy S22", "Galaxy A54",
                             "Pixel 7", "Pixel 8a", "Moto G54", "Nokia 3310", "Xperia 10 V",
                             "Redmi Note 12", "OnePlus 11"]),
    "date_format": _choices(["YYYY-MM-DD", "DD.MM.YYYY", "MM/DD/YYYY", "DD/MM/YYYY",
                             "YYYYMMDD", "dd-MMM-yyyy"]),
    "lang_level": _choices(["A1", "A2", "B1", "B2", "C1", "C2", "native"]),
    "genre": _choices(["Jazz", "Rock", "Pop", "Classical", "Hip-Hop", "Electronic", "Folk",
                       "Metal", "Soul"]),
    "card_type": _choices(["VISA", "MC", "AMEX", "DISC", "MAESTRO", "JCB"]),
    "incoterm": _choices(["EXW", "FCA", "FOB", "CIF", "DAP", "DDP", "CPT"]),
    "blood_type": _choices(["A+", "A-", "B+", "B-", "AB+", "AB-", "O+", "O-"]),
    "dr_cr": _choices(["D", "C", "DR", "CR"]),
    "address_type": _choices(["BILL", "SHIP", "HOME", "WORK", "POB"]),
    "color_depth": _choices(["8", "16", "24", "32"]),
    "zone_cd": lambda rng, n, ctx: [f"Z{rng.randint(1, 9)}" for _ in range(n)],
    "crc": lambda rng, n, ctx: [_letters(rng, 8, "0123456789abcdef") for _ in range(n)],
    "row_hash": lambda rng, n, ctx: [_letters(rng, 32, "0123456789abcdef") for _ in range(n)],
    "free_code": lambda rng, n, ctx: [
        rng.choice([f"{_letters(rng, 1)}{rng.randint(1, 99)}",
                    f"{_letters(rng, 2)}-{_letters(rng, 2)}",
                    f"{rng.randint(1, 9)}{_letters(rng, 2)}"]) for _ in range(n)],
    "customer_group": _choices(["01", "02", "05", "10", "20", "99", "A", "B"]),
    "print_code": _choices(["P0", "P1", "P2", "P9", "NX"]),
    "cost_center": lambda rng, n, ctx: [f"{rng.choice(['4', '5', '6'])}{_digits(rng, 3)}0"
                                        for _ in range(n)],
    "retry_cnt": lambda rng, n, ctx: [str(min(9, int(rng.expovariate(0.8)))) for _ in range(n)],
    "sort_order": lambda rng, n, ctx: [str(10 * rng.randint(1, 40)) for _ in range(n)],
    "file_size": lambda rng, n, ctx: [str(int(_lognum(rng, 800, 4e7))) for _ in range(n)],
    "name_len": lambda rng, n, ctx: [str(rng.randint(3, 24)) for _ in range(n)],
    "fx_rate": lambda rng, n, ctx: [f"{rng.uniform(0.7, 1.6):.4f}" for _ in range(n)],
    "ticket_ref": lambda rng, n, ctx: [f"TCK-{rng.randint(10000, 99999)}" for _ in range(n)],
    "batch_token": lambda rng, n, ctx: [_letters(rng, 12, string.ascii_uppercase + "234567")
                                        for _ in range(n)],
    "mcc": _choices(["5411", "5812", "5999", "4111", "5732", "7011", "5541", "4814"]),
    "mrn": lambda rng, n, ctx: [f"MRN{_digits(rng, 8)}" for _ in range(n)],
    "icd10": _choices(["E11.9", "I10", "J45.909", "M54.5", "K21.9", "F32.A", "N39.0",
                       "J06.9", "R51.9", "Z00.00"]),
    "bp_systolic": lambda rng, n, ctx: [str(int(rng.gauss(128, 16))) for _ in range(n)],
    "bp_diastolic": lambda rng, n, ctx: [str(int(rng.gauss(80, 10))) for _ in range(n)],
    "heart_rate": lambda rng, n, ctx: [str(int(rng.gauss(76, 12))) for _ in range(n)],
    "temp_f": lambda rng, n, ctx: [f"{rng.gauss(98.4, 1.1):.1f}" for _ in range(n)],
    "ward": _choices(["ICU", "W3N", "W3S", "ED", "PED", "ONC", "MAT"]),
    "tracking_no": lambda rng, n, ctx: [
        f"1Z{_letters(rng, 6, string.ascii_uppercase + string.digits)}{_digits(rng, 10)}"
        for _ in range(n)],
    "depot_name": lambda rng, n, ctx: [
        f"{rng.choice(CITIES['GB'])[0]} {rng.choice(['North', 'South', 'Hub', 'Cross-Dock', 'DC'])}"
        for _ in range(n)],
    "coupon": lambda rng, n, ctx: [rng.choice(["SUMMER", "WELCOME", "BF", "VIP", "FREESHIP"])
                                   + str(rng.randint(5, 30)) for _ in range(n)],
})

# ------------------------------------------------------------------------------------ headers
# Legacy header stems per domain and language: words separated by blanks, "|" between stems.
_HEADERS: dict[str, dict[str, str]] = {
    "person.first_name": {"en": "fst nm|frst name|f name|first nme|given nm|forenm|nm first|"
                                "first nm|fn|gvn name|frstnm",
                          "de": "vorna|vname|vor nm|rufnm|vornm",
                          "fr": "prenom|pren|prnm", "es": "nombre|nomb|nom pila|primer nom",
                          "pt": "prim nome|pnome|nome prop", "it": "nome|nom|nome batt",
                          "nl": "vnaam|voornm|roepnm"},
    "person.last_name": {"en": "lst nm|last nme|l name|surnm|sur name|fam nm|nm last|ln|"
                               "family nme|lstnm", "de": "nachn|nname|nach nm|fam name|zunm",
                         "fr": "nom|nom fam|nm famille|nomfam", "es": "apellido1|apell|prim apell",
                         "pt": "sobren|ult nome|apel", "it": "cognome|cogn|cgnm",
                         "nl": "achternm|anaam|achter nm|fam naam"},
    "person.middle_name": {"en": "mid nm|mdl name|mid init|m init|mname|second nm|mi|middle nm",
                           "de": "vorname2|mittel nm|zweit vorn", "fr": "prenom2|autres prenoms",
                           "es": "segundo nom|nombre2", "pt": "nome meio|segundo nm",
                           "it": "secondo nm|nome2", "nl": "tussenvgsl|tussenv|tv"},
    "person.full_name": {"en": "cust nm|cust name|full nm|nm|contact nm|person nm|acct holder nm|"
                               "disp nm|client nm|pat name", "de": "kunde nm|name1|kd name|"
                               "ansprechpartner|vollst nm", "fr": "nom prenom|nomprenom|titulaire",
                         "es": "nom y ape|nombre apell|titular",
                         "pt": "nome compl|nome cli|titular",
                         "it": "nominativo|nome cognome|intestatario",
                         "nl": "volle naam|naam klant|tenaamstelling"},
    "person.title": {"en": "sal|salut|ttl|title cd|nm prefix|hon|courtesy ttl|salutn",
                     "de": "anred|anr|titel cd", "fr": "civ|titre civ", "es": "trat|tit",
                     "pt": "trat|tit", "it": "tit|tit cort", "nl": "aanh|aanhef cd"},
    "person.gender": {"en": "gndr|sex cd|gender cd|m f|sx|gen", "de": "geschl|gesch|sex",
                      "fr": "sexe|sx", "es": "sexo|gen", "pt": "sexo|gen", "it": "sesso|sx",
                      "nl": "gesl|m v"},
    "person.birth_date": {"en": "dob|birth dt|dt birth|b date|brth dt|date of brth|birthdt|"
                                "bdte", "de": "geb dat|gebdat|geburtsdat|geb dt",
                          "fr": "date naiss|dt naiss|datenaiss", "es": "fec nac|fecha nac|fnac",
                          "pt": "dt nasc|data nasc|dtnascimento", "it": "data nas|dt nascita",
                          "nl": "geb datum|geboortedat|gebdat"},
    "person.age": {"en": "age yrs|cust age|age at entry|yrs old|agey|ag", "de": "alter jahre|alt",
                   "fr": "age ans|age cli", "es": "edad anos|edad cli", "pt": "idade anos",
                   "it": "eta anni", "nl": "lftd|leeftijd jr"},
    "person.nationality": {"en": "natl|nat cd|citizenshp|nationlty|ctzn|natnl",
                           "de": "staatsang|natio|staatsangeh", "fr": "natio|nat",
                           "es": "nacion|nac", "pt": "nacion|nac", "it": "naz|nazional",
                           "nl": "nation|nat"},
    "contact.email": {"en": "eml|email addr|mail addr|email1|em addr|emailaddress|e mail adr|"
                            "email id|eml adr", "de": "email|e mail adr|emailadr|mail adr",
                      "fr": "mel|adr mail|email cli", "es": "correo e|correo elec|email cli",
                      "pt": "end email|email cli", "it": "ind mail|posta el|email cli",
                      "nl": "e mail adres|mailadr"},
    "contact.phone": {"en": "tel no|ph no|phone nbr|telephone no|ph|phn|home ph|day phone|tel nr|"
                            "phone1|ph num", "de": "telnr|tel nr|telefon nr|tel privat|rufnr|tel1",
                      "fr": "tel fixe|num tel|tel dom", "es": "telef|tfno|tlf|tel fijo",
                      "pt": "tel fixo|fone|tel res", "it": "telef|num tel|tel fisso",
                      "nl": "telnr|tel nummer|tel vast"},
    "contact.mobile": {"en": "mob|mob no|cell no|cell ph|mobile nbr|cel|mob phone|sms no",
                       "de": "handy nr|mobil|mobilnr|funk nr", "fr": "tel port|mob|port nr",
                       "es": "movil|tel movil|cel", "pt": "tlm|cel|tel movel",
                       "it": "cell|tel cell|num cell", "nl": "mobiel nr|06 nummer|mob nr"},
    "contact.fax": {"en": "fax no|fax nbr|fx|fax num|fax1|facs", "de": "fax nr|faxnr|tel fax",
                    "fr": "num fax|fax nr", "es": "num fax|fax nr", "pt": "n fax|fax nr",
                    "it": "num fax|fax nr", "nl": "faxnr|fax nr"},
    "contact.website": {"en": "web|www|homepg|web addr|site url|home page|web url|site",
                        "de": "internet|www adr|web adr", "fr": "site|url site",
                        "es": "pagina|sitio", "pt": "pagina web|site url", "it": "sito|sito int",
                        "nl": "site|web adr"},
    "contact.social_handle": {"en": "twitter|tw handle|insta|ig handle|social|sm handle|x handle|"
                                    "mastodon", "de": "social media|soc med", "fr": "reseau soc",
                              "es": "redes|red soc", "pt": "rede soc", "it": "social",
                              "nl": "soc media"},
    "address.street": {"en": "addr1|addr line 1|street1|str addr|st name|address1|addr ln1|adr1|"
                             "strt", "de": "str|str nm|anschrift1|strname|strasse",
                       "fr": "adr1|adresse1|libelle voie", "es": "direcc|dir1|calle nm",
                       "pt": "morada1|logr|endereco1", "it": "indir|indirizzo1|via nm",
                       "nl": "str naam|adres1|straatnm"},
    "address.house_number": {"en": "house no|hse nbr|bldg no|st no|street nbr|house num|bldg",
                             "de": "hausnr|hnr|haus nr|hsnr", "fr": "num voie|no rue",
                             "es": "num|portal nr|nro", "pt": "num porta|n porta",
                             "it": "civico|n civico|num civ", "nl": "huisnr|hnr"},
    "address.city": {"en": "cty|city nm|town nm|municip|twn|city1",
                     "de": "ort|wohnort|ortsname|ort1",
                     "fr": "ville|localite|vil", "es": "ciudad|pobl|munic",
                     "pt": "cidade|localid|concelho", "it": "citta|loc|comune res",
                     "nl": "plaats|woonpl|plaatsnm"},
    "address.postal_code": {"en": "zip|zip cd|zipcode|postcd|post cd|zip5|pcode|postal cd",
                            "de": "plz|post lz|plz1", "fr": "cp|code post|cd postal|codpost",
                            "es": "cp|cod postal|codpos", "pt": "cod postal|cp|cep",
                            "it": "cap|cod post", "nl": "postcd|pc|postc"},
    "address.state": {"en": "st|state cd|prov|region cd|st prov|cnty", "de": "bundesl|bl|land bund",
                      "fr": "region|dept", "es": "prov|ccaa", "pt": "distrito|uf",
                      "it": "prov|reg", "nl": "prov|provincie cd"},
    "address.country": {"en": "cntry|ctry|country nm|ctry name|cntry desc|nation nm",
                        "de": "land|landbez|land bez", "fr": "pays|lib pays",
                        "es": "pais|pais nom", "pt": "pais|pais nome", "it": "paese|stato",
                        "nl": "land|landnm"},
    "address.country_code": {"en": "ctry cd|cntry code|iso ctry|country iso2|ctry iso|ctrycd|iso2",
                             "de": "land kz|lkz|landkz|laendercd", "fr": "cd pays|pays iso",
                             "es": "cod pais|pais iso", "pt": "cod pais|pais iso",
                             "it": "cod paese|sigla naz", "nl": "land cd|landcd"},
    "address.full_address": {"en": "addr|full addr|mail addr|postal addr|addr full|addr txt|"
                                   "ship to|bill to addr|address blk",
                             "de": "adr kompl|postanschr|anschrift kpl",
                             "fr": "adr compl|adr postale", "es": "domicilio|dir completa",
                             "pt": "morada|end completo", "it": "recapito|ind completo",
                             "nl": "volledig adr|postadr"},
    "money.amount": {"en": "amt|tot amt|net amt|gross amt|total|amount usd|line tot|inv amt|"
                           "pay amt|txn amt|val", "de": "betr|summe|ges betrag|brutto|netto",
                     "fr": "mnt|mt ttc|total ttc|mt ht", "es": "imp total|importe tot|monto tot",
                     "pt": "vlr|vl total|valor tot", "it": "imp|tot|importo tot",
                     "nl": "totaal|bedr"},
    "money.amount_minor": {"en": "amt cents|amount ct|amt minor|price cents|total cents|amt ct|"
                                 "val minor|amt in ct", "de": "betrag ct|betr cent|cent betr",
                           "fr": "montant cts|mnt cts", "es": "importe cts|imp cent",
                           "pt": "valor cent|vlr cts", "it": "importo cent|imp cts",
                           "nl": "bedrag ct|bedr cent"},
    "money.currency_code": {"en": "curr|ccy|cur cd|currency cd|crncy|iso cur|curcy",
                            "de": "whrg|waehrung|wkz", "fr": "dev|cd devise", "es": "mon|cod mon",
                            "pt": "moe|cod moeda", "it": "val|div", "nl": "munt|val cd"},
    "money.price": {"en": "unit prc|prc|price ea|list prc|sell prc|unitprice|px|price per unit",
                    "de": "vk preis|ek preis|stk preis|einzelpr", "fr": "px unit|prix ht",
                    "es": "pvp|prec unit", "pt": "pr unit|preco venda", "it": "pz unit|prezzo un",
                    "nl": "stukprijs|vkprijs"},
    "money.balance": {"en": "bal|cur bal|acct bal|open bal|outstdg|balance due|os amt|curr bal",
                      "de": "kto stand|offen betrag|saldo akt", "fr": "sld|solde cpt",
                      "es": "sdo|saldo act", "pt": "sld|saldo atual", "it": "sld cont|saldo att",
                      "nl": "rek saldo|sld"},
    "money.tax_rate": {"en": "tax pct|vat pct|tax rt|vat rate pct|tx rate|sales tax pct|vat",
                       "de": "mwst satz|ust proz|mwst|steuer proz|st satz", "fr": "tx tva|tva",
                       "es": "iva|pct iva", "pt": "iva|taxa iva|aliq", "it": "aliq iva|iva perc",
                       "nl": "btw|btw perc"},
    "datetime.date": {"en": "dt|txn dt|post dt|doc date|eff dt|hire dt|start dt|entry date|val dt|"
                            "inv dt|ord dt|due dt", "de": "buch dat|beleg dat|eintr dat|dat",
                      "fr": "dt|date ope|dt compta", "es": "fec|f alta|fec doc",
                      "pt": "dt|dt mov", "it": "dt reg|data doc", "nl": "dtm|boekdatum"},
    "datetime.timestamp": {"en": "ts|evt ts|event tm|log ts|txn ts|tstamp|dttm|last login|"
                                 "login ts|event dt tm", "de": "zeitpkt|zeit stmp|dat zeit",
                           "fr": "horodat|date heure|dt hr", "es": "fecha hora|f hora",
                           "pt": "data hora|dt hr", "it": "data ora", "nl": "datum tijd|dt tijd"},
    "datetime.year": {"en": "yr|fisc yr|year no|model yr|cal yr|yyyy", "de": "gj|gesch jahr|jhr",
                      "fr": "annee|an", "es": "anio|ejerc", "pt": "exerc|ano fisc",
                      "it": "eserc|anno fisc", "nl": "bkjr|jr"},
    "datetime.month": {"en": "mth|mo|per|mon|fisc per|month no|mm", "de": "mon|abr monat",
                       "fr": "mois per", "es": "mes per", "pt": "mes per", "it": "mese per",
                       "nl": "mnd"},
    "datetime.created_at": {"en": "crt dt|crtd ts|insert ts|ins dt|create dttm|rec created|"
                                  "dt created|creation ts|add dt", "de": "anl dat|angelegt|"
                                  "erst dat|anlage ts|erf dat", "fr": "dt creation|cree le|"
                                  "date crea", "es": "f creacion|fec alta|creado",
                            "pt": "dt criacao|criado em|dt inc", "it": "dt creaz|data ins",
                            "nl": "aanmaak dt|aangemaakt"},
    "datetime.updated_at": {"en": "upd dt|last upd|mod ts|chg dt|lst mod|updt ts|last chg|"
                                  "modified dt|upd ts|rev dt", "de": "aend dat|geaendert|"
                                  "letzte aend|aenddat|aend ts", "fr": "dt modif|maj le|date maj",
                            "es": "f modif|fec mod", "pt": "dt alteracao|dt atual",
                            "it": "dt modif|data agg", "nl": "wijz dt|gewijzigd"},
    "datetime.time_of_day": {"en": "tm|start tm|appt time|hhmm|open tm|time of evt|clock",
                             "de": "uhr|beginn zeit|uhrz", "fr": "hr|h debut", "es": "hr|hora ini",
                             "pt": "hr|hora ini", "it": "orario|ora ini", "nl": "tijdstip|aanvang"},
    "datetime.duration": {"en": "dur|duration sec|elapsed|dur min|session len|uptime|len sec|"
                                "transit time|call len", "de": "zeitdauer|dauer min|dauer sek",
                          "fr": "duree|tps ecoule", "es": "duracion|dur", "pt": "duracao|tempo",
                          "it": "durata|tempo", "nl": "duur|looptijd"},
    "identifier.key": {"en": "rec id|row id|seq no|recno|obj id|nbr|ident|rid|sys id",
                       "de": "lfd nr|lfdnr|satz nr|id nr", "fr": "num|id int", "es": "cod|id int",
                       "pt": "cod|id int", "it": "cod|id int", "nl": "volgnr|id nr"},
    "identifier.uuid": {"en": "guid|uid|glob id|ext ref guid|obj guid|session guid|rowguid|corr id|"
                              "trace id|ext id"},
    "identifier.customer_id": {"en": "cust no|cust id|cust nbr|cst id|client no|cust ref|custref|"
                                     "customer nbr|cust key", "de": "kdnr|kd nr|kunden nr|deb nr",
                               "fr": "num client|no cli|code cli|cli id",
                               "es": "cod cliente|num cli|id cli", "pt": "cod cliente|num cli",
                               "it": "cod cli|codcliente",
                               "nl": "klantnr|klant nr|deb nr"},
    "identifier.order_id": {"en": "ord no|ord id|order nbr|po no|so no|ordnum|ord ref|order ref|"
                                  "ord key", "de": "best nr|bestnr|auftr nr|auftragsnr",
                            "fr": "num cde|no commande|ref cde", "es": "num pedido|id ped",
                            "pt": "num encomenda|ped", "it": "num ord|id ordine",
                            "nl": "bestelnr|order nr"},
    "identifier.invoice_number": {"en": "inv no|inv nbr|invoice num|bill no|inv ref|invno|doc no",
                                  "de": "re nr|rech nr|beleg nr|renr", "fr": "num fact|no facture",
                                  "es": "num fact|nro factura", "pt": "num fatura|nf",
                                  "it": "num fatt|n fatt", "nl": "factuurnr|fact nr"},
    "identifier.sku": {"en": "item cd|art no|item no|prod cd|part no|itemcode|mat no|article",
                       "de": "art nr|artnr|mat nr|matnr", "fr": "ref art|code art|ref",
                       "es": "ref|cod art", "pt": "ref|cod artigo", "it": "cod art|codart|rif",
                       "nl": "artnr|art nr"},
    "identifier.ean": {"en": "ean13|gtin13|bar cd|ean code|upc a|ean no", "de": "strichcd|ean nr",
                       "fr": "gencod|code barre", "es": "cod barras", "pt": "cod barras",
                       "it": "cod barre", "nl": "ean nr"},
    "identifier.iban": {"en": "iban|bank iban|iban no|acct iban|iban cd|pay iban",
                        "de": "iban nr|kto iban|bankverb", "fr": "cpt iban|iban cli",
                        "es": "cta iban|iban cli", "pt": "nib|iban cli", "it": "cod iban",
                        "nl": "rek iban"},
    "identifier.bic": {"en": "swift cd|bic swift|bank swift|bic cd|swift bic|bic1"},
    "identifier.vat_id": {"en": "vat no|vat reg|vat nbr|vatin|tax reg no|vat id no",
                          "de": "ust id|ustidnr|ust idnr", "fr": "num tva|tva intra|no tva",
                          "es": "nif iva|cif nr", "pt": "nipc|contrib", "it": "p iva|piva",
                          "nl": "btw nr|btwnr"},
    "identifier.national_id": {"en": "soc sec no|ss num|natl id|ni no|tax id no|ssnum|ssn nbr",
                               "de": "sv nr|svnr|sozvers nr|rv nr", "fr": "num secu|insee",
                               "es": "num ss|nss", "pt": "num ss|niss", "it": "cod fisc|codfisc",
                               "nl": "sofi nr|sofinr"},
    "identifier.passport": {"en": "pass no|passport nbr|ppt no|travel doc no|pp num|psprt",
                            "de": "pass nr|passnr", "fr": "num passeport|passep",
                            "es": "num pas|pasap", "pt": "num pass|passap", "it": "num pass|passap",
                            "nl": "paspoort nr|pasnr"},
    "identifier.credit_card": {"en": "cc no|card no|cc num|card nbr|ccnum|cc|pay card",
                               "de": "kk nr|karten nr", "fr": "num carte|cb", "es": "num tarj|tarj",
                               "pt": "num cartao|cartao nr", "it": "num carta|carta nr",
                               "nl": "kaartnr|cc nr"},
    "identifier.account_number": {"en": "acct no|acct nbr|acc num|bank acct|acctno|gl acct|acct",
                                  "de": "kto nr|ktonr|konto nr", "fr": "num cpt|no compte",
                                  "es": "num cta|nro cuenta", "pt": "num conta|conta nr",
                                  "it": "num conto|conto nr", "nl": "reknr|rek nr"},
    "geo.latitude": {"en": "lat|geo lat|lat dd|gps lat|ycoord|y", "de": "geo breite|lat",
                     "fr": "lat|latit"},
    "geo.longitude": {"en": "lon|lng|geo lon|gps lng|xcoord|lon dd|x", "de": "geo laenge|lng",
                      "fr": "lon|longit"},
    "geo.point": {"en": "geo|geom|latlon|lat lng|loc|gps|coords|geo pt|wkt|loc pt",
                  "de": "koord|geo koord|gps pos", "fr": "coord|geoloc", "es": "coord|ubic",
                  "pt": "coord|geoloc", "it": "coord|pos", "nl": "coord|gps"},
    "geo.timezone": {"en": "tz|tz name|tzid|user tz|utc off|tz cd", "de": "zeitz|zz",
                     "fr": "fuseau|fus hor", "es": "zona hor|huso", "pt": "fuso|fuso hor",
                     "it": "fuso|fuso or", "nl": "tz|tijdz"},
    "org.company_name": {"en": "co nm|comp name|company nm|org nm|firm nm|employer nm|bus name|"
                               "acct name|supplier nm|vendor nm|legal nm",
                         "de": "firma1|fa name|firmenbez|name1", "fr": "raison soc|rs|ste",
                         "es": "razon soc|emp nom", "pt": "razao soc|emp nome",
                         "it": "rag soc|ragione soc|ditta", "nl": "bedrijfsnm|firma nm"},
    "org.department": {"en": "dept|dept nm|div|bus unit|org unit|dept desc|team nm",
                       "de": "abt|org einh|bereich nm", "fr": "serv|dept", "es": "depto|dpto",
                       "pt": "depto|setor nm", "it": "rep|uff", "nl": "afd|afd nm"},
    "org.job_title": {"en": "job ttl|pos title|job desc|role nm|occup|desig|title job|jobtitle",
                      "de": "stelle|stellenbez|taetigkeit", "fr": "intitule poste|fonct",
                      "es": "puesto|profesion", "pt": "funcao nm|cargo nm", "it": "mansione|qual",
                      "nl": "functie nm|beroep nm"},
    "org.industry": {"en": "ind|sector|sic desc|vertical|lob|indstry", "de": "wz|wirtsch zweig|"
                           "branche nm", "fr": "secteur|sect act", "es": "rubro|actividad",
                     "pt": "ramo|setor act", "it": "comparto|settore act",
                     "nl": "branche nm|sector nm"},
    "product.name": {"en": "prod nm|item nm|art nm|prod name|title|item|product ttl|descr1|"
                           "sku name",
                     "de": "bez|art bez|artikelbez|bez1|kurztext", "fr": "lib art|libelle|nom prod",
                     "es": "desc art|nombre prod", "pt": "desc artigo|nome prod",
                     "it": "descr art|denominaz|nome prod", "nl": "omschr|art omschr|productnm"},
    "product.category": {"en": "cat|prod cat|cat nm|item grp|prod grp|class|category cd|prod type",
                         "de": "warengr|wg|artikelgr|prod gruppe|kat", "fr": "cat|famille|categ",
                         "es": "cat|familia|categ", "pt": "cat|familia|categ",
                         "it": "cat|gruppo merc|categ", "nl": "cat|prodgrp|categ"},
    "product.description": {"en": "long desc|prod desc|item descr|desc|descr|details txt|mkt desc",
                            "de": "langtext|beschr|art text", "fr": "desc|descriptif",
                            "es": "desc|desc larga", "pt": "desc|descr", "it": "desc|descr",
                            "nl": "beschr|omschr lang"},
    "product.brand": {"en": "brnd|mfr|manuf|make|brand nm|mfg|vendor brand",
                      "de": "herst|hersteller nm|marke nm", "fr": "fabr|marque nm",
                      "es": "fabric|marca nm", "pt": "fabric|marca nm",
                      "it": "produttore nm|marca nm",
                      "nl": "merk nm|fabr"},
    "product.quantity": {"en": "qty|qnty|quan|qty ord|qty shp|pcs|pkg cnt|ord qty|stock qty|"
                               "on hand|qty avail", "de": "mng|anz|stk|bestand",
                         "fr": "qte|nb", "es": "cant|uds", "pt": "qtd|qtde|quant", "it": "qta|pz",
                         "nl": "aant|hoev"},
    "product.weight": {"en": "wt|wgt|weight kg|wt lb|net wt|gross wt|ship wt|weight lbs|wt kg|"
                             "pkg wt",
                       "de": "gew|netto gew|brutto gew|gew kg", "fr": "pds|poids kg",
                       "es": "peso kg|pso", "pt": "peso liq|peso kg", "it": "peso netto|peso kg",
                       "nl": "gew|gewicht kg"},
    "product.dimension": {"en": "len|length cm|ht|height in|dims|dim|lxwxh|size cm|depth mm|"
                                "pkg dims|ht cm", "de": "abm|groesse cm|laenge cm|hoehe cm",
                          "fr": "long|haut|larg|dim", "es": "largo|alto|ancho|dim",
                          "pt": "compr|alt|larg|dim", "it": "lung|alt|largh|dim",
                          "nl": "afm|lengte cm|hoogte cm"},
    "product.color": {"en": "clr|colour|color cd|col nm|colr|shade|finish", "de": "farb|farbe nm",
                      "fr": "coul|coloris", "es": "col", "pt": "cor nm", "it": "col|colore nm",
                      "nl": "klr|kleur nm"},
    "general.status": {"en": "stat|status cd|sts|rec stat|ord stat|acct stat|state|lifecycle|"
                             "stat flg|cur status", "de": "stat|zust|bearb stat",
                       "fr": "etat|stat", "es": "est|situac", "pt": "sit|situacao cd",
                       "it": "stato|st", "nl": "toest|status cd"},
    "general.flag": {"en": "is active|active flg|del flg|is deleted|vip ind|yn|active ind|is admin|"
                           "verified|blocked|consent", "de": "aktiv kz|loesch kz|kz|sperr kz",
                     "fr": "actif|top", "es": "activo|marca", "pt": "ativo|flag",
                     "it": "attivo", "nl": "actief|ind"},
    "general.percentage": {"en": "pct|perc|disc pct|share pct|fte pct|open rate|completion pct|"
                                 "util pct|pcnt", "de": "proz|rabatt proz|quote",
                           "fr": "pct|remise pct|pourc", "es": "pct|porc|desc pct",
                           "pt": "perc|pct", "it": "perc|pct|sconto perc", "nl": "perc|pct"},
    "general.rating": {"en": "rtg|review score|stars|cust rating|nps|csat|lead score|rating val",
                       "de": "bewert|punkte|note", "fr": "note|eval", "es": "puntuac|valor",
                       "pt": "aval|nota", "it": "voto|valutaz", "nl": "beoord|sterren"},
    "general.language_code": {"en": "lang|lang cd|pref lang|ui lang|lng cd|language iso",
                              "de": "spr|sprach kz|spras", "fr": "lang|cd langue",
                              "es": "idi|cod idioma", "pt": "cod idioma|ling", "it": "cod lingua",
                              "nl": "taalcd"},
    "general.note": {"en": "notes|rmk|cmnt|comment txt|note txt|free txt|addl info|instr",
                     "de": "bem|bemerk|hinweis|info", "fr": "rem|obs|comment", "es": "obs|observ",
                     "pt": "obs|coment", "it": "oss|nota", "nl": "opm|notitie"},
    "network.ip_address": {"en": "ip addr|client ip|src ip|remote addr|ipv4|host ip|last ip|"
                                 "req ip"},
    "network.mac_address": {"en": "mac|mac addr|hw addr|nic mac|eth mac|macid|wifi mac"},
    "network.user_agent": {"en": "ua|browser|http ua|client ua|useragent str|agent str|ua string"},
    "account.username": {"en": "usr|usr nm|user nm|login id|uid str|logon|acct usr|entered by|"
                               "created by|userid", "de": "benutzer|ben name|anmelde nm",
                         "fr": "util|nom util", "es": "usr|usuario nm", "pt": "utilizador|usr",
                         "it": "utente|nome ut", "nl": "gebruiker|gebr naam"},
    "account.password_hash": {"en": "pwd|pwd hash|pw hash|pass hash|pwd enc|hash pwd|secret|"
                                    "cred hash", "de": "kennw|pw", "fr": "mdp|hash mdp",
                              "es": "clave acc|pwd", "pt": "senha|pwd", "it": "pwd",
                              "nl": "wachtw"},
    "system.file_path": {"en": "path|fpath|doc path|att path|file loc|export file|img path|"
                               "scan file|uri", "de": "pfad|datei|anhang",
                         "fr": "chemin|fichier|pj",
                         "es": "ruta|fichero", "pt": "caminho|anexo", "it": "percorso|file",
                         "nl": "pad|bestand"},
    "system.version": {"en": "ver|rev|fw ver|app ver|sw ver|build|os ver|schema ver|vers",
                       "de": "vers|rel stand", "fr": "vers", "es": "vers", "pt": "vers",
                       "it": "vers", "nl": "vers"},
}
_UNKNOWN_HEADERS = {
    "phone_model": "phone model|handset|device mdl|mob model|phone type desc",
    "date_format": "date format|dt fmt|datefmt|fmt date",
    "crc": "crc|crc32|chk|chksum",
    "row_hash": "row hash|rowhash|md5|hash|chk md5|dedup hash",
    "free_code": "cd|ref cd|misc cd|class cd|grp cd|seg cd",
    "retry_cnt": "retry cnt|tries|attempts|n retry|err cnt",
    "sort_order": "sort|sort ord|disp ord|rank",
    "color_depth": "color depth|bpp|colour bits",
    "file_size": "file size|bytes|sz bytes|fsize",
    "lang_level": "lang level|cefr|lang lvl",
    "genre": "genre|music genre|fav genre",
    "zone_cd": "zone|zone cd|del zone|tariff zone",
    "fx_rate": "fx rate|exch rt|conv rate|fx",
    "card_type": "card type|cc type|card brand|pay method",
    "name_len": "name len|nm len|len name",
    "ticket_ref": "ticket|tkt ref|case no",
    "batch_token": "batch|batch id|job token|run id",
    "incoterm": "incoterm|inco|terms of delivery",
    "mcc": "mcc|merch cat|mcc cd",
    "blood_type": "blood grp|abo rh|bld type",
    "icd10": "dx cd|icd|diag cd",
    "bp_systolic": "bp sys|sys bp|sbp",
    "customer_group": "kdgrp|cust grp|seg",
}
_OPAQUE = ["col{k}", "field_{k}", "x{k}", "F{k:03d}", "UDF{k}", "attr{k}", "c{k}", "ZZ{k:02d}",
           "unnamed_{k}", "COLUMN{k}", "fld{k}", "var{k}"]
_COMMENTS = ["legacy field, see spec v2", "populated by nightly batch", "do not use",
             "migrated 2009 from AS/400", "free text from call centre", "mandatory since 2014",
             "filled by web form", "TODO clarify with business", "copied from old CRM",
             "Feld aus Altsystem", "rempli par l'agent", "campo heredado"]
_HINTS = {"person.birth_date": ["date of birth as entered", "Geburtsdatum lt. Ausweis"],
          "person.full_name": ["name as printed on letters"], "contact.email": ["primary e-mail"],
          "money.amount_minor": ["amount in cents", "in Cent"], "money.amount": ["gross, EUR"],
          "product.weight": ["in lbs", "kg net"], "identifier.customer_id": ["cust key from CRM"],
          "address.postal_code": ["post code"], "datetime.created_at": ["insert time (UTC)"],
          "general.flag": ["Y/N"], "identifier.iban": ["bank account"],
          "datetime.duration": ["seconds"], "general.percentage": ["0-100"],
          "org.company_name": ["legal entity"], "system.file_path": ["scan location"]}
_CASE_DOMAINS = {"person.first_name", "person.last_name", "person.full_name", "address.city",
                 "address.street", "address.country", "org.company_name", "org.department",
                 "org.job_title", "general.status", "product.name", "product.category",
                 "product.brand", "product.color", "person.nationality", "address.state"}
_MULTI = {"contact.phone", "contact.mobile", "contact.email", "address.street",
          "address.full_address", "general.note", "network.ip_address", "datetime.date"}
_STYLES = ["snake", "upper", "camel", "pascal", "flat", "flatup"]


def _styled(tokens: list[str], style: str) -> str:
    if style == "upper":
        return "_".join(t.upper() for t in tokens)
    if style == "camel":
        return tokens[0].lower() + "".join(t[:1].upper() + t[1:].lower() for t in tokens[1:])
    if style == "pascal":
        return "".join(t[:1].upper() + t[1:].lower() for t in tokens)
    if style == "flat":
        return "".join(t.lower() for t in tokens)
    if style == "flatup":
        return "".join(t.upper() for t in tokens)
    return "_".join(t.lower() for t in tokens)


def _typo(rng: random.Random, token: str) -> str:
    if len(token) < 5:
        return token
    i = rng.randrange(1, len(token) - 2)
    if rng.random() < 0.5:
        return token[:i] + token[i + 1:]
    return token[:i] + token[i + 1] + token[i] + token[i + 2:]


def _stems(domain: str, kind: str, lang: str) -> list[str]:
    if domain == UNKNOWN:
        return _UNKNOWN_HEADERS.get(kind, kind.replace("_", " ")).split("|")
    by_lang = _HEADERS[domain]
    return (by_lang.get(lang) or by_lang["en"]).split("|")


def _header(rng: random.Random, domain: str, kind: str, table: dict, index: int) -> str:
    if rng.random() < table["opaque"]:
        return rng.choice(_OPAQUE).format(k=index + 1 if rng.random() < 0.6 else
                                          rng.randint(1, 60))
    lang = table["lang"] if rng.random() < 0.75 else "en"
    tokens = rng.choice(_stems(domain, kind, lang)).split()
    if rng.random() < 0.06:
        j = rng.randrange(len(tokens))
        tokens[j] = _typo(rng, tokens[j])
    if table["prefix"] and rng.random() < 0.35:
        tokens = [table["prefix"], *tokens]
    style = table["style"] if rng.random() < 0.85 else rng.choice(_STYLES)
    text = _styled(tokens, style)
    if not any(ord(ch) > 127 for ch in text) or rng.random() < 0.7:
        text = _ascii(text)
    if rng.random() < (0.15 if domain in _MULTI else 0.04):
        digit = rng.choice("12")
        text += f"_{digit}" if style in ("snake", "upper") and rng.random() < 0.5 else digit
    return text


def _mess(rng: random.Random, values: list[str], domain: str) -> tuple[str | None, ...]:
    null_rate = rng.choice([0, 0, 0.02, 0.04, 0.06, 0.09, 0.12, 0.15])
    blank = rng.random() < 0.1
    pad = rng.random() < 0.25
    upper = domain in _CASE_DOMAINS and rng.random() < 0.12
    out: list[str | None] = []
    for v in values:
        if rng.random() < null_rate:
            out.append("" if blank else None)
            continue
        if upper:
            v = v.upper()
        if pad and rng.random() < 0.12:
            v = rng.choice([f" {v}", f"{v} ", f"  {v}  ", f"{v}\t"])
        out.append(v)
    return tuple(out)


def _entry(text: str) -> tuple[str, str, str]:
    """Return (domain, unknown kind, forced header) of a table-spec entry."""
    if text.startswith("?"):
        return UNKNOWN, text[1:], ""
    domain, _, header = text.partition("=")
    return domain, "", header


def _values(rng: random.Random, domain: str, kind: str, n: int, ctx: dict) -> list[str]:
    fn = _UNKNOWN_GEN[kind] if domain == UNKNOWN else _GEN[domain]
    return fn(rng, n, ctx)


# ------------------------------------------------------------------------------------ golden tables
# (table, country, header style, column prefix, share of opaque headers, columns); a column is a
# domain id, "?kind" for a column of no domain, or "domain=header" for a fixed look-alike header.
_TABLES: list[tuple[str, str, str, str, float, str]] = [
    ("CUST_MASTER", "US", "upper", "cust", 0.04,
     ("identifier.customer_id person.title person.first_name person.middle_name person.last_name "
     "person.birth_date person.gender identifier.national_id contact.email contact.phone "
     "contact.mobile address.street address.city address.state address.postal_code "
     "address.country_code datetime.created_at general.flag=email_sent ?phone_model ?name_len")),
    ("kunden", "DE", "snake", "k", 0.04,
     ("identifier.customer_id person.title person.first_name person.last_name person.birth_date "
     "address.street address.house_number address.postal_code address.city address.country "
     "contact.phone contact.fax contact.email general.language_code general.note "
     "datetime.updated_at ?name_len ?ticket_ref")),
    ("clients", "FR", "snake", "cli", 0.05,
     ("identifier.customer_id person.title person.last_name person.first_name person.birth_date "
     "person.nationality address.full_address address.postal_code address.city contact.mobile "
     "contact.email general.flag ?date_format")),
    ("clientes", "ES", "snake", "cli", 0.05,
     ("identifier.customer_id person.first_name person.last_name person.gender person.age "
     "address.street address.house_number address.postal_code address.city address.state "
     "contact.phone contact.email money.balance identifier.credit_card datetime.created_at")),
    ("cadastro_clientes", "PT", "snake", "", 0.05,
     ("identifier.customer_id person.full_name person.birth_date person.gender address.street "
     "address.house_number address.postal_code address.city contact.phone contact.mobile "
     "contact.email general.status ?free_code")),
    ("anagrafica_clienti", "IT", "upper", "", 0.05,
     ("identifier.customer_id person.last_name person.first_name person.birth_date person.gender "
     "address.full_address address.city address.postal_code contact.phone contact.email "
     "contact.website org.company_name")),
    ("klanten", "NL", "camel", "kl", 0.05,
     ("identifier.key person.first_name person.middle_name person.last_name address.street "
     "address.house_number address.postal_code address.city contact.mobile contact.email "
     "identifier.iban identifier.bic general.flag=name_changed")),
    ("tbl_orders", "US", "snake", "ord", 0.04,
     ("identifier.order_id identifier.customer_id datetime.created_at datetime.date general.status "
     "money.amount money.currency_code money.amount_minor money.tax_rate address.full_address "
     "network.ip_address identifier.credit_card ?retry_cnt")),
    ("ORDER_LINES", "GB", "upper", "", 0.04,
     ("identifier.key identifier.order_id identifier.sku product.name product.quantity money.price "
     "money.amount_minor money.tax_rate product.color ?sort_order ?batch_token")),
    ("bestellungen", "DE", "pascal", "best", 0.05,
     ("identifier.order_id identifier.customer_id datetime.date datetime.time_of_day money.amount "
     "money.currency_code general.status product.quantity general.note")),
    ("invoices", "GB", "snake", "inv", 0.04,
     ("identifier.invoice_number identifier.customer_id datetime.date money.amount money.balance "
     "money.currency_code identifier.vat_id identifier.iban identifier.bic general.status "
     "system.file_path datetime.year datetime.month ?crc")),
    ("payments", "US", "camel", "pay", 0.04,
     ("identifier.uuid identifier.invoice_number datetime.timestamp money.amount_minor "
     "money.currency_code identifier.credit_card identifier.account_number ?card_type ?mcc "
     "general.flag datetime.month ?fx_rate")),
    ("products", "US", "snake", "prod", 0.04,
     ("identifier.sku identifier.ean product.name product.category product.brand "
     "product.description money.price product.weight product.dimension product.color "
     "general.rating datetime.updated_at datetime.year ?sort_order")),
    ("artikelstamm", "DE", "upper", "art", 0.05,
     ("identifier.sku identifier.ean product.name product.category product.brand "
     "product.description product.weight product.dimension product.color money.price "
     "product.quantity money.tax_rate")),
    ("produits", "FR", "snake", "", 0.05,
     ("identifier.sku product.name product.description product.category money.price product.color "
     "product.brand general.percentage identifier.ean")),
    ("EMP", "US", "upper", "emp", 0.04,
     ("identifier.key person.first_name person.middle_name person.last_name person.birth_date "
     "person.gender identifier.national_id org.department org.job_title datetime.date "
     "money.amount general.percentage contact.email contact.phone account.username "
     "general.status")),
    ("mitarbeiter", "DE", "pascal", "ma", 0.05,
     ("identifier.key person.title person.first_name person.last_name person.birth_date "
     "person.nationality org.department org.job_title identifier.iban identifier.bic "
     "identifier.account_number identifier.passport address.full_address general.language_code "
     "datetime.created_at ?lang_level")),
    ("suppliers", "GB", "snake", "sup", 0.04,
     ("identifier.key org.company_name identifier.vat_id org.industry contact.website "
     "contact.phone "
     "contact.fax contact.email address.street address.city address.country address.country_code "
     "money.currency_code")),
    ("web_sessions", "US", "snake", "", 0.04,
     ("identifier.uuid network.ip_address network.user_agent datetime.timestamp datetime.duration "
     "account.username general.language_code geo.timezone geo.latitude geo.longitude ?crc")),
    ("app_users", "GB", "camel", "usr", 0.04,
     ("identifier.key account.username account.password_hash contact.email datetime.created_at "
     "datetime.updated_at datetime.timestamp general.flag geo.timezone general.language_code "
     "contact.social_handle network.user_agent general.flag=phone_verified ?row_hash")),
    ("filialen", "DE", "snake", "fil", 0.05,
     ("identifier.key org.company_name address.full_address address.city address.state "
     "geo.latitude geo.longitude geo.point geo.timezone datetime.time_of_day contact.phone")),
    ("shipments", "GB", "snake", "shp", 0.04,
     ("identifier.order_id datetime.date datetime.timestamp product.weight product.dimension "
     "address.postal_code address.country_code address.city general.status product.quantity "
     "geo.point datetime.duration ?zone_cd ?incoterm")),
    ("devices", "US", "pascal", "dev", 0.04,
     ("identifier.uuid network.mac_address network.ip_address system.version "
     "system.version=os_release account.username datetime.updated_at system.file_path "
     "geo.timezone datetime.duration ?phone_model ?color_depth")),
    ("reviews", "US", "snake", "rev", 0.04,
     ("identifier.key identifier.sku general.rating general.note datetime.created_at "
     "contact.social_handle general.flag network.user_agent general.language_code")),
    ("PATIENTS", "US", "upper", "pt", 0.04,
     ("identifier.key person.last_name person.first_name person.birth_date person.age "
     "person.gender identifier.national_id person.nationality product.weight product.dimension "
     "contact.phone identifier.passport ?blood_type ?icd10")),
    ("visitas", "ES", "snake", "vis", 0.05,
     ("identifier.key datetime.date datetime.time_of_day datetime.duration general.status "
     "general.note ?bp_systolic")),
    ("marketingLeads", "GB", "camel", "lead", 0.04,
     ("person.full_name contact.email contact.mobile contact.social_handle org.company_name "
     "org.job_title org.industry general.percentage general.rating general.language_code ?genre")),
    ("GL_LEDGER", "GB", "upper", "gl", 0.04,
     ("datetime.year datetime.month identifier.account_number money.balance money.amount "
     "money.currency_code money.tax_rate general.note ?fx_rate")),
    ("travellers", "GB", "snake", "", 0.05,
     ("person.full_name identifier.passport person.nationality person.birth_date address.country "
     "address.country_code datetime.date ?lang_level")),
    ("legacy_import_07", "US", "upper", "", 0.6,
     ("person.first_name contact.email datetime.date money.amount address.postal_code "
     "identifier.uuid general.flag network.ip_address network.mac_address account.password_hash "
     "?free_code ?retry_cnt ?date_format")),
    ("documents", "US", "snake", "doc", 0.04,
     ("identifier.uuid system.file_path system.version datetime.created_at datetime.updated_at "
     "account.username ?file_size ?row_hash ?color_depth")),
    ("umfrage", "DE", "snake", "", 0.05,
     ("identifier.key general.rating general.percentage person.age person.gender "
     "general.language_code general.note datetime.timestamp datetime.month")),
    ("geo_locations", "NL", "snake", "", 0.05,
     ("identifier.key geo.point geo.latitude geo.longitude geo.timezone address.country_code "
     "address.city ?zone_cd")),
    ("crm_accounts", "US", "snake", "acc", 0.04,
     ("identifier.customer_id org.company_name contact.website org.industry address.full_address "
     "general.status identifier.vat_id money.balance datetime.updated_at ?ticket_ref")),
    ("fornitori", "IT", "upper", "forn", 0.05,
     ("org.company_name identifier.vat_id address.street address.city address.postal_code "
     "contact.phone contact.fax contact.email identifier.iban org.industry")),
    ("encomendas", "PT", "snake", "enc", 0.05,
     ("identifier.order_id datetime.date money.amount money.currency_code general.status "
     "product.quantity identifier.sku")),
    ("netz_geraete", "DE", "upper", "", 0.05,
     ("identifier.key network.mac_address network.ip_address system.version org.department "
     "datetime.updated_at ?crc")),
    ("usuarios", "ES", "snake", "usu", 0.05,
     ("account.username account.password_hash contact.email datetime.created_at general.flag "
     "general.status ?customer_group")),
]


def _table(name: str, country: str, style: str, prefix: str, opaque: float) -> dict:
    return {"name": name, "country": country, "lang": COUNTRY_LANG[country], "style": style,
            "prefix": prefix, "opaque": opaque}


def _table_columns(seed: int, spec: dict, entries: list[str]) -> list[GoldenColumn]:
    name = spec["name"]
    n = random.Random(f"golden|{seed}|{name}").randint(40, 120)
    seen: set[str] = set()
    out = []
    for i, text in enumerate(entries):
        rng = random.Random(f"golden|{seed}|{name}|{i}|{text}")
        domain, kind, forced = _entry(text)
        ctx = {"country": spec["country"], "lang": spec["lang"]}
        values = _mess(rng, _values(rng, domain, kind, n, ctx), domain)
        header = forced or _header(rng, domain, kind, spec, i)
        base, k = header, 2
        while header.lower() in seen:
            header, k = f"{base}{k}", k + 1
        seen.add(header.lower())
        description = ""
        if rng.random() < 0.1:
            description = rng.choice(_HINTS.get(domain, []) + _COMMENTS)
        out.append(GoldenColumn(name, header, values, domain, description))
    return out


def golden_columns(seed: int = 7) -> list[GoldenColumn]:
    """Return ≥ 320 labelled columns over ≥ 30 tables, every domain ≥ 3 times, ~8 % unknown.

    >>> cols = golden_columns()
    >>> len(cols) >= 320, cols == golden_columns(7), cols == golden_columns(8)
    (True, True, False)
    >>> all(40 <= len(c.values) <= 120 for c in cols)
    True
    """
    cols: list[GoldenColumn] = []
    for name, country, style, prefix, opaque, entries in _TABLES:
        cols += _table_columns(seed, _table(name, country, style, prefix, opaque), entries.split())
    counts = Counter(c.domain for c in cols)
    missing = [d for d in sorted(_GEN) for _ in range(3 - counts[d])]
    for i in range(0, len(missing), 8):
        spec = _table(f"legacy_extract_{i // 8 + 1:02d}", "GB", "snake", "", 0.3)
        cols += _table_columns(seed, spec, missing[i:i + 8])
    return cols


# ------------------------------------------------------------------------------ matching cases
def _col(name: str, type_: str, description: str, *, unit: str = "", enum: tuple = (),
         nullable: bool = True, key: bool = False, references: str = "") -> dict:
    return {"name": name, "type": type_, "description": description, "unit": unit,
            "enum": list(enum), "nullable": nullable, "key": key, "references": references}


def _pk(name: str, type_: str, description: str) -> dict:
    return _col(name, type_, description, nullable=False, key=True)


# A case: (name, country, source tables, target tables). A source column is (legacy header,
# domain or "?kind", generator options, "target_table.column" or "" when it has no counterpart);
# the option "ref" draws the values from an earlier column ("TABLE.COLUMN"), like a foreign key.
_CASES: list[tuple[str, str, dict, list]] = [
    ("crm", "DE", {
        "KNDSTM": [
            ("KDNR", "identifier.customer_id", {}, "customer.customer_number"),
            ("ANRED", "person.title", {}, "customer.salutation"),
            ("VNAME", "person.first_name", {}, "customer.given_name"),
            ("NNAME", "person.last_name", {}, "customer.family_name"),
            ("GEBDT", "person.birth_date", {"fmt": "dmy_dot"}, "customer.birth_date"),
            ("GESCHL", "person.gender", {"set": ["M", "W", "D"]}, "customer.gender"),
            ("EMAIL1", "contact.email", {}, "customer.email"),
            ("TELNR", "contact.phone", {}, "customer.phone"),
            ("MOBILNR", "contact.mobile", {}, "customer.mobile_phone"),
            ("SPRACHE", "general.language_code", {}, "customer.preferred_language"),
            ("NEWSL_JN", "general.flag", {"set": ("J", "N")}, "customer.newsletter_opt_in"),
            ("ANLDAT", "datetime.created_at", {"fmt": "dmy_dot"}, "customer.created_at"),
            ("AENDDAT", "datetime.updated_at", {"fmt": "iso_space"}, "customer.updated_at"),
            ("KDGRP", "?customer_group", {}, ""),
            ("BEMERK", "general.note", {}, "customer.notes"),
        ],
        "KNDADR": [
            ("ADRNR", "identifier.key", {"start": 1}, "address.address_id"),
            ("KDNR", "identifier.customer_id", {"ref": "KNDSTM.KDNR"}, "address.customer_number"),
            ("STR", "address.street", {}, "address.street"),
            ("HNR", "address.house_number", {}, "address.house_number"),
            ("PLZ", "address.postal_code", {}, "address.postal_code"),
            ("ORT", "address.city", {}, "address.city"),
            ("BUNDESLAND", "address.state", {}, "address.region"),
            ("LAND", "address.country", {}, "address.country_code"),
            ("ADRTYP", "?address_type", {}, "address.address_type"),
        ],
        "FIRMA": [
            ("FANR", "identifier.key", {"start": 5000}, "company.company_id"),
            ("FNAME", "org.company_name", {}, "company.legal_name"),
            ("UST_ID", "identifier.vat_id", {}, "company.vat_number"),
            ("WWW", "contact.website", {}, "company.website"),
            ("BRANCHE", "org.industry", {}, "company.industry"),
            ("FAX", "contact.fax", {}, "company.fax"),
            ("UMSATZ_CT", "money.amount_minor", {"range": (5_000_000, 900_000_000)},
             "company.annual_revenue_eur"),
            ("DRUCKKZ", "?print_code", {}, ""),
            ("ANSPR_KDNR", "identifier.customer_id", {"ref": "KNDSTM.KDNR"},
             "company.primary_contact"),
        ],
    }, [
        ("customer", "People the company has a relationship with", [
            _pk("customer_number", "string", "Business key of the customer"),
            _col("salutation", "string", "Form of address", enum=("Mr", "Mrs", "Ms", "Dr", "Mx")),
            _col("given_name", "string", "First name of the customer"),
            _col("family_name", "string", "Surname of the customer"),
            _col("birth_date", "date", "Date of birth"),
            _col("gender", "string", "Gender", enum=("male", "female", "diverse", "unknown")),
            _col("email", "string", "Primary e-mail address"),
            _col("phone", "string", "Landline number in E.164 format"),
            _col("mobile_phone", "string", "Mobile number in E.164 format"),
            _col("preferred_language", "string", "ISO 639-1 language for correspondence"),
            _col("newsletter_opt_in", "boolean", "Customer agreed to receive the newsletter"),
            _col("created_at", "timestamp", "When the record was created (UTC)"),
            _col("updated_at", "timestamp", "When the record was last changed (UTC)"),
            _col("notes", "string", "Free-text remarks of the service team"),
            _col("loyalty_tier", "string", "Loyalty programme level",
                 enum=("none", "silver", "gold")),
        ]),
        ("address", "Postal addresses of customers", [
            _pk("address_id", "integer", "Surrogate key of the address"),
            _col("customer_number", "string", "Customer the address belongs to",
                 references="customer.customer_number", nullable=False),
            _col("street", "string", "Street name"),
            _col("house_number", "string", "House number including suffix"),
            _col("postal_code", "string", "Postal code"),
            _col("city", "string", "City or town"),
            _col("region", "string", "Federal state or region"),
            _col("country_code", "string", "ISO 3166-1 alpha-2 country"),
            _col("address_type", "string", "Use of the address",
                 enum=("billing", "shipping", "home", "work", "po_box")),
        ]),
        ("company", "Business customers", [
            _pk("company_id", "integer", "Surrogate key of the company"),
            _col("legal_name", "string", "Registered company name"),
            _col("vat_number", "string", "EU VAT identification number"),
            _col("website", "string", "Company home page URL"),
            _col("industry", "string", "Industry sector"),
            _col("fax", "string", "Fax number"),
            _col("annual_revenue_eur", "float", "Annual revenue", unit="EUR"),
            _col("primary_contact", "string", "Main contact person",
                 references="customer.customer_number"),
            _col("employee_count", "integer", "Number of employees"),
        ]),
    ]),
    ("ecommerce", "US", {
        "tblOrder": [
            ("OrderNo", "identifier.order_id", {}, "orders.order_number"),
            ("CustRef", "identifier.customer_id", {}, "orders.customer_number"),
            ("OrdDate", "datetime.timestamp", {"fmt": "us_ampm"}, "orders.ordered_at"),
            ("OrdStatus", "general.status", {"set": ["N", "P", "S", "D", "X"]}, "orders.status"),
            ("CurrCd", "money.currency_code", {}, "orders.currency"),
            ("TotalCents", "money.amount_minor", {"range": (500, 250_000)},
             "orders.total_amount"),
            ("TaxPct", "money.tax_rate", {"fmt": "num"}, "orders.tax_rate"),
            ("ShipAddr", "address.full_address", {}, "orders.shipping_address"),
            ("ClientIP", "network.ip_address", {}, "orders.client_ip"),
            ("UA", "network.user_agent", {}, "orders.user_agent"),
            ("PayCardNo", "identifier.credit_card", {}, "orders.card_number"),
            ("CouponCode", "?coupon", {}, ""),
            ("Gift", "general.flag", {"set": ("1", "0")}, "orders.is_gift"),
        ],
        "tblOrderItem": [
            ("LineNo", "identifier.key", {"start": 1}, "order_items.line_id"),
            ("OrderNo", "identifier.order_id", {"ref": "tblOrder.OrderNo"},
             "order_items.order_number"),
            ("ArtNo", "identifier.sku", {}, "order_items.sku"),
            ("EAN13", "identifier.ean", {}, "order_items.gtin"),
            ("ItemDesc", "product.name", {}, "order_items.product_name"),
            ("Qty", "product.quantity", {"range": (1, 12)}, "order_items.quantity"),
            ("UnitPrc", "money.price", {}, "order_items.unit_price"),
            ("WeightLb", "product.weight", {"unit": "lb", "suffix": False},
             "order_items.weight_kg"),
            ("Colour", "product.color", {}, "order_items.color"),
            ("LineDisc", "general.percentage", {"range": (0, 30), "fmt": "num"},
             "order_items.discount_rate"),
        ],
        "tblProduct": [
            ("ArtNo", "identifier.sku", {"ref": "tblOrderItem.ArtNo"}, "products.sku"),
            ("Title", "product.name", {}, "products.name"),
            ("Brand", "product.brand", {}, "products.brand"),
            ("Cat", "product.category", {}, "products.category"),
            ("LongDesc", "product.description", {}, "products.description"),
            ("ListPrice", "money.price", {}, "products.list_price"),
            ("DimIn", "product.dimension", {"unit": "in", "fmt": "lwh", "suffix": False},
             "products.dimensions_cm"),
            ("Created", "datetime.created_at", {}, "products.created_at"),
            ("StockQty", "product.quantity", {"range": (1, 900)}, "products.stock_quantity"),
            ("Rating", "general.rating", {}, "products.average_rating"),
            ("LegacyFlag2", "?free_code", {}, ""),
        ],
    }, [
        ("orders", "Web shop orders", [
            _pk("order_number", "string", "Order number shown to the customer"),
            _col("customer_number", "string", "Customer who placed the order", nullable=False),
            _col("ordered_at", "timestamp", "When the order was placed (UTC)"),
            _col("status", "string", "Order status",
                 enum=("new", "paid", "shipped", "delivered", "cancelled")),
            _col("currency", "string", "ISO 4217 currency of the order"),
            _col("total_amount", "float", "Order total including tax", unit="USD"),
            _col("tax_rate", "float", "Sales tax as a fraction (0.0725 = 7.25 %)",
                 unit="fraction"),
            _col("shipping_address", "string", "Delivery address as one line"),
            _col("client_ip", "string", "IP address the order came from"),
            _col("user_agent", "string", "Browser user agent"),
            _col("card_number", "string", "Payment card number (tokenised on load)"),
            _col("is_gift", "boolean", "Order is wrapped as a gift"),
            _col("channel", "string", "Sales channel", enum=("web", "app", "marketplace")),
        ]),
        ("order_items", "Lines of an order", [
            _pk("line_id", "integer", "Surrogate key of the line"),
            _col("order_number", "string", "Order of the line", references="orders.order_number"),
            _col("sku", "string", "Stock keeping unit", references="products.sku"),
            _col("gtin", "string", "GTIN-13 barcode"),
            _col("product_name", "string", "Product name at time of order"),
            _col("quantity", "integer", "Units ordered"),
            _col("unit_price", "float", "Price per unit", unit="USD"),
            _col("weight_kg", "float", "Shipping weight per unit", unit="kg"),
            _col("color", "string", "Colour variant"),
            _col("discount_rate", "float", "Line discount as a fraction", unit="fraction"),
        ]),
        ("products", "Product catalogue", [
            _pk("sku", "string", "Stock keeping unit"),
            _col("name", "string", "Product name"),
            _col("brand", "string", "Brand"),
            _col("category", "string", "Catalogue category"),
            _col("description", "string", "Marketing description"),
            _col("list_price", "float", "Recommended retail price", unit="USD"),
            _col("dimensions_cm", "string", "Length x width x height", unit="cm"),
            _col("created_at", "timestamp", "When the product was listed"),
            _col("stock_quantity", "integer", "Units in stock"),
            _col("average_rating", "float", "Average review rating, 1 to 5"),
        ]),
    ]),
    ("hr", "DE", {
        "PA0001": [
            ("PERNR", "identifier.key", {"start": 10000}, "employee.employee_id"),
            ("VORNA", "person.first_name", {}, "employee.first_name"),
            ("NACHN", "person.last_name", {}, "employee.last_name"),
            ("NAME2", "person.middle_name", {}, "employee.middle_name"),
            ("GBDAT", "person.birth_date", {"fmt": "compact"}, "employee.date_of_birth"),
            ("GESCH", "person.gender", {"set": ["M", "W"]}, "employee.gender"),
            ("NATIO", "person.nationality", {"fmt": "code"}, "employee.nationality"),
            ("SVNR", "identifier.national_id", {}, "employee.social_security_number"),
            ("PASSNR", "identifier.passport", {}, "employee.passport_number"),
            ("EINTR", "datetime.date", {"fmt": "dmy_dot", "years": (1995, 2024)},
             "employee.hire_date"),
            ("AUSTR", "datetime.date", {"fmt": "dmy_dot", "years": (2015, 2025)},
             "employee.termination_date"),
            ("ORGEH", "org.department", {}, "employee.department"),
            ("STELL", "org.job_title", {}, "employee.job_title"),
            ("GEHALT_MON", "money.amount", {"range": (2200, 11000), "fmt": "eu"},
             "employee.monthly_salary"),
            ("TZ_PROZ", "general.percentage", {"fmt": "num", "range": (20, 100)}, "employee.fte"),
            ("EMAIL_GESCH", "contact.email", {}, "employee.work_email"),
            ("TEL_DW", "contact.phone", {}, "employee.work_phone"),
            ("HANDY", "contact.mobile", {}, "employee.mobile_phone"),
            ("USRID", "account.username", {}, "employee.login_name"),
            ("IBAN", "identifier.iban", {}, "employee.bank_iban"),
            ("BIC", "identifier.bic", {}, "employee.bank_bic"),
            ("KOSTL", "?cost_center", {}, ""),
            ("STAT2", "general.status", {"set": ["aktiv", "inaktiv", "ruhend"]},
             "employee.employment_status"),
        ],
        "PA0006": [
            ("PERNR", "identifier.key", {"ref": "PA0001.PERNR"}, "employee_address.employee_id"),
            ("STRAS", "address.street", {}, "employee_address.street"),
            ("HSNMR", "address.house_number", {}, "employee_address.house_number"),
            ("PSTLZ", "address.postal_code", {}, "employee_address.postal_code"),
            ("ORT01", "address.city", {}, "employee_address.city"),
            ("LAND1", "address.country_code", {}, "employee_address.country_code"),
            ("TELNR", "contact.phone", {}, "employee_address.home_phone"),
        ],
    }, [
        ("employee", "Employees and their contract data", [
            _pk("employee_id", "integer", "Personnel number"),
            _col("first_name", "string", "Given name"),
            _col("middle_name", "string", "Middle name or initial"),
            _col("last_name", "string", "Family name"),
            _col("date_of_birth", "date", "Birthday of the employee"),
            _col("gender", "string", "Gender", enum=("male", "female", "diverse")),
            _col("nationality", "string", "Citizenship, ISO 3166-1 alpha-2"),
            _col("social_security_number", "string", "Social insurance number"),
            _col("passport_number", "string", "Passport document number"),
            _col("hire_date", "date", "First working day"),
            _col("termination_date", "date", "Last working day, empty while employed"),
            _col("department", "string", "Organisational unit"),
            _col("job_title", "string", "Position held"),
            _col("monthly_salary", "float", "Gross base salary per month", unit="EUR"),
            _col("fte", "float", "Full-time equivalent, 1.0 = full time", unit="fraction"),
            _col("work_email", "string", "Business e-mail"),
            _col("work_phone", "string", "Office phone"),
            _col("mobile_phone", "string", "Business mobile"),
            _col("login_name", "string", "Account name for internal systems"),
            _col("bank_iban", "string", "IBAN for salary payments"),
            _col("bank_bic", "string", "BIC of the salary account"),
            _col("employment_status", "string", "Contract status",
                 enum=("active", "inactive", "on_leave")),
            _col("emergency_contact", "string", "Name and phone of the emergency contact"),
        ]),
        ("employee_address", "Home addresses of employees", [
            _col("employee_id", "integer", "Employee", references="employee.employee_id",
                 nullable=False),
            _col("street", "string", "Street name"),
            _col("house_number", "string", "House number"),
            _col("postal_code", "string", "Postal code"),
            _col("city", "string", "City"),
            _col("country_code", "string", "ISO 3166-1 alpha-2 country"),
            _col("home_phone", "string", "Private phone number"),
        ]),
    ]),
    ("clinical", "US", {
        "PAT_DEMOG": [
            ("PAT_ID", "identifier.key", {"start": 1}, "patient.patient_id"),
            ("MRN", "?mrn", {}, "patient.medical_record_number"),
            ("PT_LNAME", "person.last_name", {}, "patient.family_name"),
            ("PT_FNAME", "person.first_name", {}, "patient.given_name"),
            ("DOB", "person.birth_date", {"fmt": "mixed"}, "patient.birth_date"),
            ("AGE_YRS", "person.age", {"range": (0, 99)}, "patient.age_years"),
            ("SEX", "person.gender", {"set": ["F", "M", "U"]}, "patient.sex"),
            ("SSN", "identifier.national_id", {}, "patient.ssn"),
            ("WT_LB", "product.weight", {"unit": "lb", "range": (90, 330), "suffix": False},
             "patient.weight_kg"),
            ("HT_IN", "product.dimension", {"unit": "in", "range": (55, 78), "suffix": False,
                                            "fmt": "single"}, "patient.height_cm"),
            ("BLOOD_GRP", "?blood_type", {}, "patient.blood_type"),
            ("PHONE_HOME", "contact.phone", {}, "patient.phone"),
            ("PREF_LANG", "general.language_code", {}, "patient.preferred_language"),
            ("ZIP", "address.postal_code", {}, "patient.postal_code"),
            ("ETHNIC_CD", "?free_code", {}, ""),
        ],
        "ENCOUNTERS": [
            ("ENC_ID", "identifier.uuid", {}, "encounter.encounter_id"),
            ("PAT_ID", "identifier.key", {"ref": "PAT_DEMOG.PAT_ID"}, "encounter.patient_id"),
            ("ADMIT_DT", "datetime.date", {"fmt": "mdy_slash"}, "encounter.admission_date"),
            ("ADMIT_TM", "datetime.time_of_day", {"fmt": "hhmm"}, "encounter.admission_time"),
            ("LOS_HRS", "datetime.duration", {"unit": "h", "seconds": (3600, 3600 * 400)},
             "encounter.length_of_stay_days"),
            ("DX_CODE", "?icd10", {}, "encounter.diagnosis_code"),
            ("BP_SYS", "?bp_systolic", {}, "encounter.systolic_bp_mmhg"),
            ("BP_DIA", "?bp_diastolic", {}, "encounter.diastolic_bp_mmhg"),
            ("PULSE", "?heart_rate", {}, "encounter.heart_rate_bpm"),
            ("TEMP_F", "?temp_f", {}, "encounter.body_temperature_c"),
            ("DISCH_STAT", "general.status", {"set": ["HOME", "TRANSFER", "AMA", "EXPIRED"]},
             "encounter.discharge_disposition"),
            ("ATTND_NOTE", "general.note", {}, "encounter.clinical_note"),
            ("ENTERED_BY", "account.username", {}, "encounter.recorded_by"),
            ("WARD_CD", "?ward", {}, ""),
            ("LAST_UPD", "datetime.updated_at", {}, "encounter.updated_at"),
        ],
    }, [
        ("patient", "Patients registered at the hospital", [
            _pk("patient_id", "integer", "Surrogate key of the patient"),
            _col("medical_record_number", "string", "Hospital medical record number"),
            _col("family_name", "string", "Patient surname"),
            _col("given_name", "string", "Patient first name"),
            _col("birth_date", "date", "Date of birth"),
            _col("age_years", "integer", "Age at registration", unit="years"),
            _col("sex", "string", "Administrative sex", enum=("female", "male", "unknown")),
            _col("ssn", "string", "Social security number"),
            _col("weight_kg", "float", "Body weight", unit="kg"),
            _col("height_cm", "float", "Body height", unit="cm"),
            _col("blood_type", "string", "ABO/Rh blood group",
                 enum=("A+", "A-", "B+", "B-", "AB+", "AB-", "O+", "O-")),
            _col("phone", "string", "Home phone"),
            _col("preferred_language", "string", "Language for communication, ISO 639-1"),
            _col("postal_code", "string", "Residential ZIP code"),
            _col("primary_physician", "string", "Name of the family doctor"),
        ]),
        ("encounter", "Hospital stays and visits", [
            _pk("encounter_id", "string", "UUID of the encounter"),
            _col("patient_id", "integer", "Patient", references="patient.patient_id",
                 nullable=False),
            _col("admission_date", "date", "Day of admission"),
            _col("admission_time", "string", "Clock time of admission, HH:MM"),
            _col("length_of_stay_days", "float", "Length of stay", unit="days"),
            _col("diagnosis_code", "string", "Principal diagnosis, ICD-10-CM"),
            _col("systolic_bp_mmhg", "integer", "Systolic blood pressure at admission",
                 unit="mmHg"),
            _col("diastolic_bp_mmhg", "integer", "Diastolic blood pressure at admission",
                 unit="mmHg"),
            _col("heart_rate_bpm", "integer", "Pulse at admission", unit="bpm"),
            _col("body_temperature_c", "float", "Body temperature at admission", unit="°C"),
            _col("discharge_disposition", "string", "Where the patient went",
                 enum=("home", "transfer", "against_advice", "deceased")),
            _col("clinical_note", "string", "Attending physician note"),
            _col("recorded_by", "string", "User who entered the encounter"),
            _col("updated_at", "timestamp", "Last change of the record"),
        ]),
    ]),
    ("finance", "NL", {
        "ACCT_MSTR": [
            ("ACCT_NO", "identifier.account_number", {}, "account.account_number"),
            ("IBAN_CD", "identifier.iban", {}, "account.iban"),
            ("SWIFT", "identifier.bic", {}, "account.bic"),
            ("CCY", "money.currency_code", {}, "account.currency"),
            ("CUR_BAL", "money.balance", {"fmt": "eu"}, "account.current_balance"),
            ("OPEN_DT", "datetime.date", {"fmt": "compact", "years": (2000, 2024)},
             "account.opened_on"),
            ("CUST_NO", "identifier.customer_id", {}, "account.customer_number"),
            ("ACCT_STAT", "general.status", {"set": ["O", "C", "F"]}, "account.status"),
            ("BR_TZ", "geo.timezone", {}, "account.branch_timezone"),
            ("INT_RATE", "general.percentage", {"fmt": "dec", "range": (0, 6)},
             "account.interest_rate"),
            ("OD_LMT_CT", "money.amount_minor", {"range": (10_000, 5_000_000)},
             "account.overdraft_limit"),
            ("HOLDER_NM", "person.full_name", {}, "account.holder_name"),
        ],
        "TXN_HIST": [
            ("TXN_ID", "identifier.uuid", {}, "transaction.transaction_id"),
            ("ACCT_NO", "identifier.account_number", {"ref": "ACCT_MSTR.ACCT_NO"},
             "transaction.account_number"),
            ("TXN_TS", "datetime.timestamp", {"fmt": "iso_ms"}, "transaction.booked_at"),
            ("VAL_DT", "datetime.date", {"fmt": "dmy_dash"}, "transaction.value_date"),
            ("AMT_CENTS", "money.amount_minor", {}, "transaction.amount"),
            ("CCY", "money.currency_code", {}, "transaction.currency"),
            ("CPTY_NAME", "org.company_name", {}, "transaction.counterparty_name"),
            ("CPTY_IBAN", "identifier.iban", {}, "transaction.counterparty_iban"),
            ("REF_TXT", "general.note", {}, "transaction.remittance_info"),
            ("MCC", "?mcc", {}, "transaction.merchant_category_code"),
            ("DR_CR", "?dr_cr", {}, "transaction.direction"),
            ("CARD_NO", "identifier.credit_card", {}, "transaction.card_number"),
            ("FX_RT", "?fx_rate", {}, ""),
            ("BATCH_ID", "?batch_token", {}, ""),
        ],
        "INVOICE_HDR": [
            ("INV_NO", "identifier.invoice_number", {}, "invoice.invoice_number"),
            ("INV_DT", "datetime.date", {"fmt": "dmy_dash"}, "invoice.issued_on"),
            ("DUE_DT", "datetime.date", {}, "invoice.due_on"),
            ("NET_AMT", "money.amount", {"fmt": "eu"}, "invoice.net_amount"),
            ("VAT_PCT", "money.tax_rate", {}, "invoice.vat_rate"),
            ("CUST_VAT", "identifier.vat_id", {}, "invoice.customer_vat_id"),
            ("FY", "datetime.year", {"years": (2019, 2025)}, "invoice.fiscal_year"),
            ("PERIOD", "datetime.month", {"fmt": "num"}, "invoice.fiscal_period"),
            ("PDF_PATH", "system.file_path", {}, "invoice.document_uri"),
        ],
    }, [
        ("account", "Current and savings accounts", [
            _pk("account_number", "string", "Domestic account number"),
            _col("iban", "string", "IBAN of the account"),
            _col("bic", "string", "BIC of the servicing bank"),
            _col("currency", "string", "ISO 4217 account currency"),
            _col("current_balance", "float", "Booked balance", unit="EUR"),
            _col("opened_on", "date", "Opening date"),
            _col("customer_number", "string", "Account holder's customer number"),
            _col("status", "string", "Account status", enum=("open", "closed", "frozen")),
            _col("branch_timezone", "string", "IANA time zone of the branch"),
            _col("interest_rate", "float", "Credit interest as a fraction", unit="fraction"),
            _col("overdraft_limit", "float", "Agreed overdraft", unit="EUR"),
            _col("holder_name", "string", "Name of the account holder"),
            _col("product_code", "string", "Account product"),
        ]),
        ("transaction", "Booked account transactions", [
            _pk("transaction_id", "string", "UUID of the transaction"),
            _col("account_number", "string", "Account", references="account.account_number"),
            _col("booked_at", "timestamp", "Booking time"),
            _col("value_date", "date", "Value date"),
            _col("amount", "float", "Signed amount", unit="EUR"),
            _col("currency", "string", "ISO 4217 currency"),
            _col("counterparty_name", "string", "Name of the other party"),
            _col("counterparty_iban", "string", "IBAN of the other party"),
            _col("remittance_info", "string", "Payment reference text"),
            _col("merchant_category_code", "string", "ISO 18245 merchant category"),
            _col("direction", "string", "Debit or credit", enum=("debit", "credit")),
            _col("card_number", "string", "Card used, if any"),
        ]),
        ("invoice", "Issued invoices", [
            _pk("invoice_number", "string", "Invoice number"),
            _col("issued_on", "date", "Invoice date"),
            _col("due_on", "date", "Payment due date"),
            _col("net_amount", "float", "Amount before VAT", unit="EUR"),
            _col("vat_rate", "float", "VAT rate as a fraction", unit="fraction"),
            _col("customer_vat_id", "string", "VAT number of the customer"),
            _col("fiscal_year", "integer", "Fiscal year"),
            _col("fiscal_period", "integer", "Fiscal month 1-12"),
            _col("document_uri", "string", "Location of the PDF"),
        ]),
    ]),
    ("logistics", "GB", {
        "SHPMT": [
            ("SHIP_NO", "identifier.order_id", {}, "shipment.shipment_number"),
            ("ORD_REF", "identifier.order_id", {}, "shipment.order_number"),
            ("TRACK_NO", "?tracking_no", {}, "shipment.tracking_number"),
            ("CARRIER", "org.company_name", {}, "shipment.carrier_name"),
            ("SHIP_DT", "datetime.date", {"fmt": "text"}, "shipment.shipped_on"),
            ("DELIV_TS", "datetime.timestamp", {"fmt": "dmy_slash"}, "shipment.delivered_at"),
            ("STAT_CD", "general.status", {"set": ["CRE", "PIC", "TRN", "DEL", "RET"]},
             "shipment.status"),
            ("WGT_LB", "product.weight", {"unit": "lb", "suffix": False}, "shipment.weight_kg"),
            ("DIM_IN", "product.dimension", {"unit": "in", "fmt": "lwh", "suffix": False},
             "shipment.dimensions_cm"),
            ("PKG_CNT", "product.quantity", {"range": (1, 20)}, "shipment.package_count"),
            ("ORIG_PC", "address.postal_code", {}, "shipment.origin_postal_code"),
            ("DEST_PC", "address.postal_code", {}, "shipment.destination_postal_code"),
            ("DEST_CTRY", "address.country_code", {"fmt": "alpha3"},
             "shipment.destination_country"),
            ("DEST_CITY", "address.city", {}, "shipment.destination_city"),
            ("TRANSIT_HRS", "datetime.duration", {"unit": "h", "seconds": (6 * 3600, 120 * 3600)},
             "shipment.transit_days"),
            ("INCOTERM", "?incoterm", {}, "shipment.incoterm"),
            ("FREIGHT_CT", "money.amount_minor", {"range": (300, 90_000)},
             "shipment.freight_cost_gbp"),
            ("ZONE", "?zone_cd", {}, ""),
        ],
        "DEPOT": [
            ("DEPOT_ID", "identifier.key", {"start": 100}, "depot.depot_id"),
            ("DEPOT_NM", "?depot_name", {}, "depot.name"),
            ("LAT", "geo.latitude", {}, "depot.latitude"),
            ("LON", "geo.longitude", {}, "depot.longitude"),
            ("GEOPT", "geo.point", {}, ""),
            ("TZ", "geo.timezone", {}, "depot.timezone"),
            ("ADDR", "address.full_address", {}, "depot.address"),
            ("PHONE", "contact.phone", {}, "depot.phone"),
            ("OPEN_TM", "datetime.time_of_day", {"fmt": "hm"}, "depot.opens_at"),
            ("CLOSE_TM", "datetime.time_of_day", {"fmt": "hm"}, "depot.closes_at"),
            ("MGR_EMAIL", "contact.email", {}, "depot.manager_email"),
        ],
    }, [
        ("shipment", "Parcels handed to carriers", [
            _pk("shipment_number", "string", "Shipment reference"),
            _col("order_number", "string", "Sales order shipped"),
            _col("tracking_number", "string", "Carrier tracking number"),
            _col("carrier_name", "string", "Carrier company"),
            _col("shipped_on", "date", "Day handed to the carrier"),
            _col("delivered_at", "timestamp", "Proof-of-delivery time"),
            _col("status", "string", "Shipment status",
                 enum=("created", "picked", "in_transit", "delivered", "returned")),
            _col("weight_kg", "float", "Gross weight", unit="kg"),
            _col("dimensions_cm", "string", "Length x width x height", unit="cm"),
            _col("package_count", "integer", "Number of parcels"),
            _col("origin_postal_code", "string", "Postcode of the sender"),
            _col("destination_postal_code", "string", "Postcode of the recipient"),
            _col("destination_country", "string", "ISO 3166-1 alpha-2 destination"),
            _col("destination_city", "string", "City of the recipient"),
            _col("transit_days", "float", "Time in transit", unit="days"),
            _col("incoterm", "string", "Incoterms 2020 rule",
                 enum=("EXW", "FCA", "CPT", "CIP", "DAP", "DPU", "DDP", "FOB", "CIF")),
            _col("freight_cost_gbp", "float", "Freight charged", unit="GBP"),
            _col("insured_value_gbp", "float", "Declared insured value", unit="GBP"),
        ]),
        ("depot", "Warehouses and cross-docks", [
            _pk("depot_id", "integer", "Depot number"),
            _col("name", "string", "Depot name"),
            _col("latitude", "float", "WGS84 latitude", unit="degrees"),
            _col("longitude", "float", "WGS84 longitude", unit="degrees"),
            _col("timezone", "string", "IANA time zone"),
            _col("address", "string", "Postal address"),
            _col("phone", "string", "Depot phone"),
            _col("opens_at", "string", "Opening time HH:MM"),
            _col("closes_at", "string", "Closing time HH:MM"),
            _col("manager_email", "string", "E-mail of the depot manager"),
        ]),
    ]),
]


def _build_case(seed: int, name: str, country: str, source: dict, tables: list) -> MatchCase:
    made: dict[tuple[str, str], tuple[str | None, ...]] = {}
    out: dict[str, list[GoldenColumn]] = {}
    truth: dict[tuple[str, str], tuple[str, str]] = {}
    for table, columns in source.items():
        n = random.Random(f"match|{seed}|{name}|{table}").randint(40, 120)
        for header, what, opts, target in columns:
            rng = random.Random(f"match|{seed}|{name}|{table}|{header}")
            domain, kind, _ = _entry(what)
            ctx = {"country": country, "lang": COUNTRY_LANG[country], **opts}
            if "ref" in opts:
                parent = [v.strip() for v in made[tuple(opts["ref"].split("."))] if v]
                values: tuple[str | None, ...] = tuple(rng.choice(parent) for _ in range(n))
            else:
                values = _mess(rng, _values(rng, domain, kind, n, ctx), domain)
            made[(table, header)] = values
            out.setdefault(table, []).append(GoldenColumn(table, header, values, domain))
            if target:
                truth[(table, header)] = tuple(target.split(".", 1))
    schema = {"tables": [{"name": t, "description": d, "columns": [dict(c) for c in cols]}
                         for t, d, cols in tables]}
    return MatchCase(name, out, schema, truth)


def matching_cases(seed: int = 7) -> list[MatchCase]:
    """Return ≥ 6 schema-matching cases (CRM, e-commerce, HR, clinical, finance, logistics).

    >>> cases = matching_cases()
    >>> [c.name for c in cases]
    ['crm', 'ecommerce', 'hr', 'clinical', 'finance', 'logistics']
    >>> sum(len(c.truth) for c in cases) >= 150
    True
    >>> cases[0].truth[("KNDSTM", "VNAME")]
    ('customer', 'given_name')
    """
    return [_build_case(seed, *case) for case in _CASES]
