"""Vocabularies for the PII evaluation sets and the prose model's training data, in three parts.

Every list below is written for this project. Names, streets and cities are split three ways:

- ``TRAIN``: may be used by the model's training data (``pii_train_prose.py``) and may appear in
  the detector's gazetteers; the evaluation sets draw a minority of their values from it.
- ``TUNE``: only in the evaluation sets generated with ``role="tune"``; the rules were tuned by
  looking at misses on this part.
- ``REPORT``: only in the evaluation sets generated with ``role="report"``, whose figures are the
  ones reported. Never in the training data, never in a gazetteer (``tests/pii`` checks both), so
  recall measured on it says how the detector does on names and places it has never seen.
"""
from __future__ import annotations


def _w(block: str) -> list[str]:
    return block.split()


# --- given names, varied origins -------------------------------------------------------------------
GIVEN_TRAIN = _w("""
Aaliyah Abdullah Adebola Adwoa Afonso Agustina Ainhoa Akira Alastair Alejandra Aleksei Alfie
Alisha Alvaro Amara Amelie Anastasia Andile Angus Anjali Annika Anselm Antoine Apinya Arash Ariana
Armando Arvid Asha Ashok Augustin Ayesha Ayumi Bao Barnaby Bashir Beatrice Benedict Bilal Birgit
Bjorn Bolanle Brigid Bronislaw Bukola Callum Camille Candela Carmela Cecile Chanel Chidera Chiara
Ciara Clement Cormac Dalia Damien Daniyar Darius Dawit Declan Deepika Delphine Desislava Dimitra
Dominika Dong Duncan Ebony Efosa Eilidh Ekaterina Eldar Elias Eloise Emeka Emre Enzo Esperanza
Eun Fabian Farah Farid Federico Femi Fergus Filipa Florian Franziska Freya Gaurav Gemma Gianluca
Giorgos Gulnara Gunnar Haider Halima Hamish Haruka Hassan Heidi Hemi Hugo Ibrahim Ieva Ilse
Imani Ingrid Irina Isabeau Ishaan Ismail Jakub Jamal Jana Jasmin Javed Jia Joao Jonas Jurgen
Kalani Kamala Karina Katja Kavya Keanu Khadija Kiran Klara Kofi Kwame Lachlan Laila Lars Leila
Lena Leonie Lin Lorenzo Luana Lukas Mai Malik Manuel Mariam Marius Marketa Mateus Matilda Maxime
Mei Mikael Milan Ming Mirela Moana Mohan Nadim Naledi Nasser Natalya Neha Niall Nikhil Nils
Nkechi Noa Nuria Odette Olga Oluwaseun Omari Otto Padma Paolo Parisa Pavel Penelope Pierre
Qing Rafaela Rania Rashid Reza Rhys Rin Rocio Rohit Rosalind Ruairi Rui Rustam Sacha Saanvi
Sakura Salma Sanjay Santiago Sava Selin Seo Shira Sienna Silvia Sindre Siobhan Sione Soraya Sven
Tahmina Tamar Tariq Tatsuya Temitope Thabo Theo Tiana Timur Tuan Ulrike Valentin Vera Viktor
Vivek Wanjiru Xiadani Yara Yasmin Yerlan Yusra Zahra Zanele Zayd Zora
""")
GIVEN_TUNE = _w("""
Abimbola Adalberto Ailbhe Akua Aleksandra Almudena Amaury Anneliese Arnaud Aroha Baraka Berit
Bogumila Caius Cassandra Chinonso Cristina Darina Dervis Dolores Eamon Edvard Elsbeth Emilio
Eszter Faisal Feodora Gabriela Giedre Gwendolyn Hadley Hiroko Hyun Idris Ilario Iolanthe Jadwiga
Jolene Kagiso Kasia Kenta Ksenia Leandro Lisbeth Lorcan Ludmila Maelle Malalai Marisol Mathilde
Mikko Minh Mireia Nadezhda Nanami Nikola Obadiah Ondrej Oriane Pascual Persephone Quentin
Radomir Renata Rosalba Saoirse Seamus Setareh Sunita Svea Tadeo Teodor Thandiwe Ugne Vaishali
Venla Wendelin Xochitl Yevgeny Zygmunt
""")
GIVEN_REPORT = _w("""
Adanna Agathe Alarik Ambrosio Anacleto Aniela Arantxa Auberon Avigail Bartholomew Berenike
Bhavesh Brunhilde Casimira Chukwudi Cleopatra Constantin Daciana Dragomir Dunya Eberhard Ekon
Elowen Eulalia Evangeline Fausto Florimond Gervais Genoveva Gottfried Gulshan Hedwig Hildegard
Honorata Ignatius Isaura Jaroslava Jovita Kalinda Kazimierz Kunle Leocadia Leontyne Lucasta Ludovic
Marcelina Margarida Melchior Mstislav Nazanin Nephele Nuala Ottilie Perpetua Philippa Pranav
Rasmus Remedios Rosamund Rudolfo Saturnino Seraphine Sigismund Solvor Tancredi Teofila
Thaddeus Tiberius Ulyana Valdemar Veronika Wilfreda Xaver Yesenia Zdzislaw Zenobia
""")

# --- family names -------------------------------------------------------------------------------
FAMILY_TRAIN = _w("""
Abernethy Achebe Adeyemi Agarwal Aguilar Ahn Akhtar Alexandersson Almeida Amoah Andersen Antonelli
Appiah Arslan Asante Azoulay Bakshi Balogun Banerjee Barbosa Bartos Bianchi Blackwood Bondarenko
Bose Brennan Brody Cardoso Castro Chaudhry Chatterjee Chowdhury Clarke Costa Cunningham Dalton
Dasgupta Delacroix Devlin Diallo Dimitrov Dinh Dobrev Dogan Dowling Eriksson Esposito Fagerstrom
Farouk Ferreira Finnegan Fontaine Fujita Gallagher Garnier Georgiou Ghosh Goldberg Greco Grigoryan
Gunawardena Haddad Halvorsen Hamid Hanson Harkness Hoang Horvath Huang Ibrahimovic Iqbal Ivanova
Jankowski Jaramillo Jovanovic Kaminski Karimi Kaya Keller Khalil Kiplagat Kipkemboi Kobayashi
Kowalczyk Krishnan Kruger Kuznetsov Lachance Lam Larsen Laurentiu Lindqvist Lombardo Lucero Lund
Macharia Mahlangu Malinowski Mancini Markovic Marquez Matsuda Mbatha Medina Mehta Mensah Mikkelsen
Molina Moreau Moretti Mutua Nair Nakashima Navarro Ndlovu Nikolaidis Njoroge Nowak Nunez Obi
Odukoya Ogunleye Okonkwo Olsen Onyango Osei Ozturk Pereira Petrovic Pham Popescu Quintero Rahman
Rao Reddy Rinaldi Rojas Rosen Sahin Saito Salazar Santoro Sato Schubert Sandoval Sedlak Sekibo
Serrano Shapiro Sorensen Stavrou Suarez Svoboda Takeda Tan Teixeira Thorsen Tkachenko Toure
Uddin Valencia Varga Vasquez Verma Vogel Wagner Watanabe Wojcik Yadav Yilmaz Yoshida Zhou Zulu
""")
FAMILY_TUNE = _w("""
Abadi Alderete Amundsen Arbuthnot Baptiste Belinsky Bergkamp Bhatt Bukowski Carrasco Cieslak
Dahlberg Demetriou Drozdov Eze Fairclough Falkenberg Gyamfi Hakimi Hartigan Hendrix Hristova
Ionescu Jeong Kagame Kariuki Kerrigan Kirchner Kolar Lachapelle Legrand Lindgren Maalouf
Makinen Mazur Mwale Nakata Nyambura Okoro Oyelaran Paquette Pavlidis Pienaar Quaresma Radebe
Ramaswamy Rautio Sarpong Scholz Sibanda Sokolova Tamura Tanabe Thibault Urbanski Vaillancourt
Vukovic Waweru Wetherby Yamada Zalewski Zdravkovic
""")
FAMILY_REPORT = _w("""
Abeywickrama Adegoke Aldous Ambrosetti Anagnostou Archambault Arkwright Balasubramanian
Barraza Bellincioni Blagojevic Bouchereau Cavendish Chakravarti Chukwuemeka Cojocaru Darkwah
Dellacroce Drummondson Ekwueme Emberley Fitzgerald Gallowglass Gebreselassie Giordanelli
Hallengren Harrowgate Hrabal Iwuchukwu Jablonka Kanagaratnam Kazantzakis Klimkowski Kuczynski
Lacombe Leszczynski Lindelof Mabuza Marchetti Matthiesen Montgomerie Mukamana Nakamatsu
Nwankwo Oyinlola Papadakis Pemberton Przemyslaw Quennell Ravensdale Rutherford Sahlberg
Shostakovich Sigurdardottir Sokolowski Tamboli Thistlewood Toivonen Umarov Vandersloot
Villaseñor Wainwright Wojciechowski Yamamura Zabaleta Zielonka
""")
PARTICLE_SURNAMES = ["van der Berg", "van Dam", "de la Cruz", "de Wit", "da Silva", "dos Santos",
                     "von Bulow", "di Marco", "del Toro", "le Roux", "ter Meulen", "al-Hashimi"]

# --- street names (the words before Street, Road, -straße, rue de …) --------------------------------
STREET_TRAIN = _w("""
Maple Oak Cedar Willow Elm Birch Chestnut Hawthorn Juniper Laurel Magnolia Poplar Sycamore
Walnut Aspen Spruce Cypress Holly Linden Alder Beech Rowan Heather Primrose Meadow Orchard
Riverside Lakeview Hillcrest Fairview Sunset Highland Brookside Kingsley Ashford Bramley
Carlton Dorset Essex Granville Hampton Kensington Lancaster Marlborough Norfolk Oxford Preston
Richmond Stanley Trafalgar Victoria Wellington Windsor York Clifton Franklin Jefferson Madison
Monroe Lincoln Harrison Jackson Washington Adams Grant Hamilton Pierce Tyler
""")
STREET_TUNE = _w("""
Blackthorn Coppergate Deerfield Elderberry Foxglove Goldcrest Heronsgate Ironwood Kestrel
Larkspur Mulberry Nightingale Partridge Quarry Redwing Saffron Thistle Verbena Wisteria Yarrow
""")
STREET_REPORT = _w("""
Amberley Buttercup Cloverdale Damselfly Everhart Fennimore Gorsebrook Hollyhock Ivybridge
Juneberry Kingfisher Lavender Moorhen Nettlecombe Ospreyfield Pennywort Quillback Rosebay
Sorrelwood Tamarisk
""")
DE_STREET_TRAIN = _w("""Haupt Bahnhof Schul Kirch Garten Linden Berg Wald Birken Ahorn Rosen
Mozart Goethe Schiller Beethoven Friedrich Wilhelm Kaiser Markt Mühlen Feld Wiesen""")
DE_STREET_TUNE = _w("""Eichen Tannen Buchen Brunnen Burg Heide Holunder Kastanien""")
DE_STREET_REPORT = _w("""Erlen Fliederbusch Hasel Lerchen Mistel Quitten Schlehen Weiden""")
FR_STREET_TRAIN = ["de la Paix", "Victor Hugo", "de la République", "Jean Jaurès", "du Moulin",
                   "des Lilas", "de la Gare", "Pasteur", "des Écoles", "du Château",
                   "Gambetta", "de Verdun", "des Acacias", "du Général Leclerc"]
FR_STREET_TUNE = ["des Tilleuls", "de la Fontaine", "Saint-Honoré", "des Roses", "du Port"]
FR_STREET_REPORT = ["des Glycines", "de l'Abbaye", "Montgolfier", "des Coquelicots",
                    "du Vieux Pont"]

# --- cities and towns ---------------------------------------------------------------------------
CITY_TRAIN = ["Springfield", "Portland", "Denver", "Austin", "Boston", "Chicago", "Seattle",
              "Atlanta", "Phoenix", "Houston", "Dallas", "Miami", "Detroit", "Minneapolis",
              "Baltimore", "Sacramento", "Pittsburgh", "Cleveland", "Nashville", "Raleigh",
              "London", "Manchester", "Birmingham", "Leeds", "Glasgow", "Edinburgh", "Bristol",
              "Liverpool", "Cardiff", "Belfast", "Berlin", "Hamburg", "München", "Köln",
              "Frankfurt", "Stuttgart", "Leipzig", "Dresden", "Paris", "Lyon", "Marseille",
              "Toulouse", "Bordeaux", "Lille", "Nantes", "Strasbourg", "Madrid", "Barcelona",
              "Lisbon", "Porto", "Rome", "Milan", "Amsterdam", "Rotterdam", "Brussels",
              "Vienna", "Zurich", "Stockholm", "Oslo", "Copenhagen", "Helsinki", "Warsaw",
              "Prague", "Budapest", "Dublin", "Toronto", "Vancouver", "Montreal", "Sydney",
              "Melbourne", "Auckland", "Mumbai", "Bangalore", "Lagos", "Nairobi", "Accra",
              "Johannesburg", "Cairo", "Dubai", "Singapore", "Tokyo", "Osaka", "Seoul",
              "Manila", "Jakarta", "Mexico City", "São Paulo", "Buenos Aires", "Santiago",
              "Bogotá", "Lima", "San Francisco", "Los Angeles", "New York", "San Diego"]
CITY_TUNE = ["Tucson", "Spokane", "Albuquerque", "Savannah", "Norwich", "Aberdeen", "Exeter",
             "Hannover", "Bremen", "Nürnberg", "Montpellier", "Rennes", "Alicante", "Bilbao",
             "Bologna", "Utrecht", "Gothenburg", "Tampere", "Kraków", "Brno", "Ottawa",
             "Brisbane", "Pune", "Kumasi", "Mombasa", "Durban", "Kyoto", "Busan", "Cebu",
             "Medellín"]
CITY_REPORT = ["Chattanooga", "Boise", "Tallahassee", "Poughkeepsie", "Harrogate",
               "Shrewsbury", "Inverness", "Würzburg", "Heidelberg", "Göttingen", "Besançon",
               "Clermont-Ferrand", "Perpignan", "Zaragoza", "Salamanca", "Coimbra", "Ravenna",
               "Groningen", "Uppsala", "Trondheim", "Aarhus", "Łódź", "Olomouc", "Halifax",
               "Saskatoon", "Wollongong", "Dunedin", "Coimbatore", "Kisumu", "Bulawayo",
               "Fukuoka", "Daegu", "Iloilo", "Cuenca", "Valparaíso", "Arequipa"]
US_STATES = ["AL", "AZ", "CA", "CO", "CT", "FL", "GA", "IL", "IN", "MA", "MD", "MI", "MN",
             "MO", "NC", "NJ", "NY", "OH", "OR", "PA", "TN", "TX", "VA", "WA", "WI"]

ROLES = ("train", "tune", "report")


def part(role: str, train: list[str], tune: list[str], report: list[str]) -> list[str]:
    """Return the held-out part of a vocabulary for an evaluation ``role`` (tune or report)."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {ROLES}, got {role!r}")
    return {"train": train, "tune": tune, "report": report}[role]


def report_only_words() -> set[str]:
    """Return every lower-cased word of the REPORT vocabularies (for the disjointness test)."""
    out: set[str] = set()
    for seq in (GIVEN_REPORT, FAMILY_REPORT, STREET_REPORT, DE_STREET_REPORT, CITY_REPORT):
        for v in seq:
            out.update(w.lower() for w in v.replace("-", " ").split())
    for v in FR_STREET_REPORT:
        out.update(w.lower() for w in v.replace("-", " ").replace("'", " ").split() if len(w) > 3)
    return out
