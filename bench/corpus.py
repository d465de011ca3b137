"""The synthetic corpora of the corpus benchmarks, generated deterministically (seeded).

Two shapes, each a project folder (``templates/`` copied, ``fonts/`` linked, ``data/``
written) whose sheets are ``org-001`` … ``org-NNN``, sections description, activities and
contact (so :func:`change_one_sheet` edits the first activity of any of them):

- ``adversarial``: ``countries`` made-up countries ("Country QA"), every activity naming
  2–5 of them at random, so every organisation touches most countries and every pack
  holds most organisations; texts of random words; ``sample: true``. Byte for byte what
  ``bench_corpus.py`` generated before it had shapes (``bench_noop.py`` and
  ``bench_packs.py`` use it).
- ``real``: shaped like the forum's data. 32 real countries (their names and the forms
  ``check`` looks for); each organisation works with 3–8 of them, and its activities name
  only those (host and 0–3 participants, all named in both texts); dated 2010–2026, one to
  three days, in the host country's capital or another of its cities, in date order,
  written as the sheets write them ("7-8 June 2011, Tashkent, Uzbekistan: organisation of
  the 3rd …"); three description paragraphs of five sentences; a contact block with
  address, telephone, sometimes fax, e-mail and website; ``sample: false``. The corpus
  passes ``check`` without a finding.
"""

from __future__ import annotations

import calendar
import random
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
SHAPES = ("adversarial", "real")
#: The sheet :func:`change_one_sheet` edits and the benchmarks measure alone.
EDITED_SHEET = "org-001"

EN_WORDS = [
    "migration", "dialogue", "cooperation", "border", "management", "labour", "mobility",
    "regional", "capacity", "training", "workshop", "experts", "officials", "data",
    "protection", "rights", "return", "reintegration", "policy", "consultation", "network",
    "partnership", "forum"
]
RU_WORDS = [
    "миграция", "диалог", "сотрудничество", "граница", "управление", "трудовая", "мобильность",
    "региональный", "потенциал", "обучение", "семинар", "эксперты", "служащие", "данные",
    "защита", "права", "возвращение", "реинтеграция", "политика", "консультации", "сеть",
    "партнерство", "форум"
]

# code | English | Russian, nominative and genitive | telephone code | capital; another city
TABLE = """
AF | Afghanistan | Афганистан, Афганистана | 93 | Kabul, Кабул; Herat, Герат
AM | Armenia | Армения, Армении | 374 | Yerevan, Ереван; Gyumri, Гюмри
AT | Austria | Австрия, Австрии | 43 | Vienna, Вена; Salzburg, Зальцбург
AZ | Azerbaijan | Азербайджан, Азербайджана | 994 | Baku, Баку; Ganja, Гянджа
BD | Bangladesh | Бангладеш, Бангладеш | 880 | Dhaka, Дакка; Chittagong, Читтагонг
BE | Belgium | Бельгия, Бельгии | 32 | Brussels, Брюссель; Antwerp, Антверпен
BG | Bulgaria | Болгария, Болгарии | 359 | Sofia, София; Varna, Варна
BY | Belarus | Беларусь, Беларуси | 375 | Minsk, Минск; Brest, Брест
CH | Switzerland | Швейцария, Швейцарии | 41 | Bern, Берн; Geneva, Женева
CN | China | Китай, Китая | 86 | Beijing, Пекин; Urumqi, Урумчи
CZ | Czechia | Чехия, Чехии | 420 | Prague, Прага; Brno, Брно
DE | Germany | Германия, Германии | 49 | Berlin, Берлин; Bonn, Бонн
GE | Georgia | Грузия, Грузии | 995 | Tbilisi, Тбилиси; Batumi, Батуми
HU | Hungary | Венгрия, Венгрии | 36 | Budapest, Будапешт; Debrecen, Дебрецен
IN | India | Индия, Индии | 91 | New Delhi, Нью-Дели; Mumbai, Мумбаи
IQ | Iraq | Ирак, Ирака | 964 | Baghdad, Багдад; Erbil, Эрбиль
IR | Iran | Иран, Ирана | 98 | Tehran, Тегеран; Mashhad, Мешхед
IT | Italy | Италия, Италии | 39 | Rome, Рим; Milan, Милан
KG | Kyrgyzstan | Кыргызстан, Кыргызстана | 996 | Bishkek, Бишкек; Osh, Ош
KZ | Kazakhstan | Казахстан, Казахстана | 7 | Astana, Астана; Almaty, Алматы
MD | Moldova | Молдова, Молдовы | 373 | Chisinau, Кишинев; Balti, Бельцы
MN | Mongolia | Монголия, Монголии | 976 | Ulaanbaatar, Улан-Батор; Darkhan, Дархан
PK | Pakistan | Пакистан, Пакистана | 92 | Islamabad, Исламабад; Lahore, Лахор
PL | Poland | Польша, Польши | 48 | Warsaw, Варшава; Krakow, Краков
RO | Romania | Румыния, Румынии | 40 | Bucharest, Бухарест; Iasi, Яссы
RU | Russia | Россия, России | 7 | Moscow, Москва; Kazan, Казань
SE | Sweden | Швеция, Швеции | 46 | Stockholm, Стокгольм; Malmo, Мальмё
TJ | Tajikistan | Таджикистан, Таджикистана | 992 | Dushanbe, Душанбе; Khujand, Худжанд
TM | Turkmenistan | Туркменистан, Туркменистана | 993 | Ashgabat, Ашхабад; Turkmenabat, Туркменабат
TR | Turkey | Турция, Турции | 90 | Ankara, Анкара; Istanbul, Стамбул
UA | Ukraine | Украина, Украины | 380 | Kyiv, Киев; Odesa, Одесса
UZ | Uzbekistan | Узбекистан, Узбекистана | 998 | Tashkent, Ташкент; Samarkand, Самарканд
"""


@dataclass(frozen=True)
class Country:
    code: str
    en: str
    ru: str
    ru_genitive: str
    dial: str
    #: (en, ru) of each city, the capital first.
    cities: tuple[tuple[str, str], ...]


def _country(line: str) -> Country:
    code, en, russian, dial, cities = (field.strip() for field in line.split("|"))
    ru, genitive = russian.split(", ")
    pairs = tuple((city.split(", ")[0], city.split(", ")[1]) for city in cities.split("; "))
    return Country(code, en, ru, genitive, dial, pairs)


COUNTRIES = [_country(line) for line in TABLE.strip().splitlines()]
BY_CODE = {c.code: c for c in COUNTRIES}
MONTHS_RU = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
             "сентября", "октября", "ноября", "декабря"]
# English name; Russian in the genitive ("организация …", "участие в работе …") and the
# ending of its ordinal ("3-го", "3-й").
EVENTS = [
    ("Regional Workshop on Labour Migration Statistics",
     "регионального семинара по статистике трудовой миграции", "го"),
    ("Senior Officials Meeting", "совещания старших должностных лиц", "го"),
    ("Ministerial Conference on Migration and Development",
     "министерской конференции по миграции и развитию", "й"),
    ("Expert Meeting on Border Management", "совещания экспертов по управлению границами", "го"),
    ("Training Course for Consular Officials", "учебного курса для консульских работников", "го"),
    ("Round Table on the Reintegration of Returning Migrants",
     "круглого стола по реинтеграции возвращающихся мигрантов", "го"),
    ("Meeting of the Working Group on Readmission", "заседания рабочей группы по реадмиссии",
     "го"),
    ("Study Visit on Integrated Border Management",
     "ознакомительного визита по комплексному управлению границами", "го"),
    ("Summer School on Migration Law", "летней школы по миграционному праву", "й"),
    ("Steering Committee of the Project", "заседания руководящего комитета проекта", "го"),
    ("Consultation on the Rights of Migrant Workers",
     "консультации по правам трудящихся-мигрантов", "й"),
    ("Forum on Diaspora Engagement", "форума по работе с диаспорами", "го"),
    ("Seminar on Combating Trafficking in Human Beings",
     "семинара по противодействию торговле людьми", "го"),
    ("Conference on International Migration Statistics",
     "конференции по статистике международной миграции", "й"),
]
PROJECTS = [
    ("Improving Migration Management in the Silk Routes Countries",
     "Совершенствование управления миграцией в странах Шелкового пути"),
    ("Safe and Legal Labour Migration", "Безопасная и легальная трудовая миграция"),
    ("Strengthening Border Communities", "Укрепление приграничных сообществ"),
]
PROGRAMMES = [("Regional Dialogue on", "Региональный диалог по вопросам"),
              ("Partnership for", "Партнерство по вопросам"),
              ("Network on", "Сеть по вопросам"), ("Initiative on", "Инициатива по вопросам"),
              ("Programme on", "Программа по вопросам")]
TOPICS = [("Labour Migration", "трудовой миграции"), ("Border Management", "управления границами"),
          ("Migrant Protection", "защиты мигрантов"),
          ("Return and Reintegration", "возвращения и реинтеграции"),
          ("Migration Data", "миграционных данных"), ("Diaspora Engagement", "работы с диаспорами"),
          ("Skills Mobility", "мобильности навыков"),
          ("Counter-Trafficking", "противодействия торговле людьми")]
REGIONS = [("in Central Asia", "в Центральной Азии"), ("in the Caucasus", "на Кавказе"),
           ("along the Silk Routes", "на Шелковом пути"),
           ("in Eastern Europe", "в Восточной Европе"),
           ("in the Black Sea Region", "в Черноморском регионе")]
# Description sentences; {org} is the organisation's name (nominative in both languages).
SENTENCES = [
    ("{org} brings together {n} governments and {m} international organisations in a regular "
     "dialogue on migration.",
     "{org} объединяет {n} правительств и {m} международных организаций в рамках регулярного "
     "диалога по вопросам миграции."),
    ("Cooperation in this format has continued since {year}, when the participating states "
     "adopted a joint declaration on orderly and safe migration.",
     "Сотрудничество в этом формате ведется с {year} г., когда государства-участники приняли "
     "совместную декларацию об упорядоченной и безопасной миграции."),
    ("The secretariat supports the participating states with expert advice, the organisation of "
     "meetings and the preparation of studies.",
     "Секретариат оказывает государствам-участникам поддержку в виде экспертных консультаций, "
     "организации совещаний и подготовки исследований."),
    ("The work covers labour migration, the protection of the rights of migrants, the fight "
     "against trafficking in human beings, and return and reintegration.",
     "Работа ведется по направлениям трудовой миграции, защиты прав мигрантов, противодействия "
     "торговле людьми, а также возвращения и реинтеграции."),
    ("Each year a meeting of senior officials sets the priorities, and thematic working groups "
     "carry them out between the meetings.",
     "Ежегодно совещание старших должностных лиц определяет приоритеты, а тематические рабочие "
     "группы реализуют их в период между совещаниями."),
    ("Since {year}, more than {k} training events have been held for officials of migration "
     "services, border agencies and ministries of labour.",
     "С {year} г. проведено более {k} учебных мероприятий для сотрудников миграционных служб, "
     "пограничных ведомств и министерств труда."),
    ("The partnership pays particular attention to the exchange of reliable data and to the "
     "comparability of national migration statistics.",
     "Партнерство уделяет особое внимание обмену достоверными данными и сопоставимости "
     "национальной статистики миграции."),
    ("Civil society organisations, academic institutions and diaspora associations take part in "
     "the events as observers.",
     "Организации гражданского общества, научные учреждения и объединения диаспор участвуют в "
     "мероприятиях в качестве наблюдателей."),
    ("The results of the projects are published in reports and handbooks available in English "
     "and Russian.",
     "Результаты проектов публикуются в докладах и пособиях на английском и русском языках."),
    ("Funding comes from the participating states and from donors such as the European Union.",
     "Финансирование обеспечивают государства-участники и доноры, в том числе Европейский союз."),
    ("In {year}, the participating states agreed on an action plan with {p} priority areas for "
     "the following five years.",
     "В {year} г. государства-участники согласовали план действий из {p} приоритетных "
     "направлений на последующие пять лет."),
    ("The secretariat maintains a network of national contact points who meet twice a year.",
     "Секретариат поддерживает сеть национальных контактных лиц, которые встречаются дважды "
     "в год."),
    ("Meetings rotate between the capitals of the participating states, and each is prepared "
     "together with the host government.",
     "Совещания проводятся поочередно в столицах государств-участников, и каждое из них "
     "готовится совместно с правительством принимающей страны."),
    ("The working languages are English and Russian, and every document is published in both.",
     "Рабочими языками являются английский и русский, и каждый документ публикуется на обоих "
     "языках."),
    ("An evaluation carried out in {year} confirmed the relevance of the dialogue and "
     "recommended closer links with regional economic organisations.",
     "Оценка, проведенная в {year} г., подтвердила актуальность диалога и рекомендовала "
     "укрепить связи с региональными экономическими организациями."),
]
STREETS = [("{n} Independence Avenue", "проспект Независимости, {n}"),
           ("{n} Peace Street", "ул. Мира, {n}"), ("{n} Friendship Street", "ул. Дружбы, {n}"),
           ("{n} Central Square", "Центральная площадь, {n}")]


def make_corpus(root: Path, sheets: int, activities: int, countries: int,
                shape: str = "adversarial") -> None:
    """Write the project of ``shape`` into ``root`` (``countries`` is the adversarial's)."""
    shutil.copytree(REPO / "templates", root / "templates")
    (root / "fonts").symlink_to(REPO / "fonts", target_is_directory=True)
    (root / "data" / "sheets").mkdir(parents=True)
    if shape == "adversarial":
        adversarial(root / "data", sheets, activities, countries)
    elif shape == "real":
        real(root / "data", sheets, activities)
    else:
        raise ValueError(f"unknown shape {shape!r}; one of {', '.join(SHAPES)}")


def write_yaml(path: Path, data: object) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def sentence(rng: random.Random, words: Sequence[str], length: int) -> str:
    text = " ".join(rng.choice(words) for _ in range(length))
    return text[0].upper() + text[1:] + "."


def adversarial(data: Path, sheets: int, activities: int, countries: int) -> None:
    rng = random.Random(1)
    codes = [f"{a}{b}" for a in "QWXYZ" for b in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"][:countries]
    (data / "countries.yaml").write_text(yaml.safe_dump(
        {code: {"name": {"en": f"Country {code}", "ru": f"Страна {code}"}} for code in codes},
        allow_unicode=True), encoding="utf-8")
    for number in range(1, sheets + 1):
        sheet_id = f"org-{number:03d}"
        blocks = []
        for index in range(activities):
            year = rng.randint(2005, 2024)
            month, day = rng.randint(1, 12), rng.randint(1, 27)
            chosen = rng.sample(codes, rng.randint(2, 5))
            blocks.append({
                "type": "activity", "key": f"activities.a{index:03d}",
                "start": f"{year}-{month:02d}-{day:02d}",
                "end": f"{year}-{month:02d}-{day + 1:02d}",
                "city": {"en": f"City {index}", "ru": f"Город {index}"},
                "host": chosen[0], "participants": chosen[1:],
                "role": rng.choice(["organised", "participated"]),
                "text": {"en": f"{day} {year}: " + sentence(rng, EN_WORDS, 30),
                         "ru": f"{day} {year}: " + sentence(rng, RU_WORDS, 30)},
            })
        sheet = {
            "id": sheet_id, "languages": ["en", "ru"], "sample": True,
            "title": {"en": "Participant Information", "ru": "Информация участника"},
            "organisation": {"en": f"Organisation {number}", "ru": f"Организация {number}"},
            "sections": [
                {"key": "description", "heading": {"en": "Description", "ru": "Описание"},
                 "blocks": [{"type": "paragraph", "key": f"description.p{p}",
                             "text": {"en": sentence(rng, EN_WORDS, 60),
                                      "ru": sentence(rng, RU_WORDS, 60)}} for p in range(3)]},
                {"key": "activities", "heading": {"en": "Activities", "ru": "Мероприятия"},
                 "blocks": blocks},
                {"key": "contact", "heading": {"en": "Contact", "ru": "Контакты"},
                 "blocks": [{"type": "contact", "key": "contact.office",
                             "organisation": {"en": f"Organisation {number}",
                                              "ru": f"Организация {number}"},
                             "email": f"office@org{number}.example.org"}]},
            ],
        }
        write_yaml(data / "sheets" / f"{sheet_id}.yaml", sheet)


def ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(
        number % 10, "th")
    return f"{number}{suffix}"


def joined(names: Sequence[str], conjunction: str) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} {conjunction} {names[-1]}"


def activity(rng: random.Random, codes: Sequence[str], used: set[str]) -> dict[str, Any]:
    """One event with the organisation's ``codes``: dates, place, texts naming them all."""
    host, *participants = (BY_CODE[code] for code in rng.sample(
        list(codes), 1 + rng.randint(0, min(3, len(codes) - 1))))
    city_en, city_ru = host.cities[0] if rng.random() < 0.6 else rng.choice(host.cities)
    year, month = rng.randint(2010, 2026), rng.randint(1, 12)
    days = rng.choice([1, 1, 2, 2, 2, 3])
    first = rng.randint(1, calendar.monthrange(year, month)[1] - days + 1)
    last = first + days - 1
    span = f"{first}" if days == 1 else f"{first}-{last}"
    event_en, event_ru, ending = rng.choice(EVENTS)
    number = rng.randint(1, 25)
    organised = rng.random() < 0.4
    en = (f"{span} {calendar.month_name[month]} {year}, {city_en}, {host.en}: "
          f"{'organisation of' if organised else 'participation in'} the {ordinal(number)} "
          f"{event_en}")
    ru = (f"{span} {MONTHS_RU[month - 1]} {year} г., {city_ru}, {host.ru}: "
          f"{'организация' if organised else 'участие в работе'} {number}-{ending} {event_ru}")
    if rng.random() < 0.3:
        project_en, project_ru = rng.choice(PROJECTS)
        en += f" within the project “{project_en}”"
        ru += f" в рамках проекта “{project_ru}”"
    if participants:
        en += f", with delegations from {joined([c.en for c in participants], 'and')}"
        ru += f" с участием делегаций {joined([c.ru_genitive for c in participants], 'и')}"
    key = base = f"activities.{year}-{month:02d}-{city_en.lower().replace(' ', '-')}"
    for again in range(2, len(used) + 3):
        if key not in used:
            break
        key = f"{base}-{again}"
    used.add(key)
    block: dict[str, Any] = {"type": "activity", "key": key,
                             "start": f"{year}-{month:02d}-{first:02d}"}
    if days > 1:
        block["end"] = f"{year}-{month:02d}-{last:02d}"
    return block | {
        "city": {"en": city_en, "ru": city_ru}, "host": host.code,
        "participants": [c.code for c in participants],
        "role": "organised" if organised else "participated", "text": {"en": en, "ru": ru}}


def telephone(rng: random.Random, dial: str) -> str:
    return (f"+{dial} {rng.randint(10, 99)} {rng.randint(100, 999)} {rng.randint(10, 99)} "
            f"{rng.randint(10, 99)}")


def real(data: Path, sheets: int, activities: int) -> None:
    rng = random.Random(2)
    write_yaml(data / "countries.yaml", {
        c.code: {"name": {"en": c.en, "ru": c.ru},
                 "forms": {"en": [c.en], "ru": list(dict.fromkeys([c.ru, c.ru_genitive]))}}
        for c in COUNTRIES})
    names = [(f"{p_en} {t_en} {r_en}", f"{p_ru} {t_ru} {r_ru}")
             for p_en, p_ru in PROGRAMMES for t_en, t_ru in TOPICS for r_en, r_ru in REGIONS]
    rng.shuffle(names)
    codes = [c.code for c in COUNTRIES]
    for number in range(1, sheets + 1):
        sheet_id = f"org-{number:03d}"
        name_en, name_ru = names[(number - 1) % len(names)]
        if number > len(names):
            name_en, name_ru = f"{name_en} {number}", f"{name_ru} {number}"
        own = rng.sample(codes, rng.randint(3, 8))
        used: set[str] = set()
        blocks = sorted((activity(rng, own, used) for _ in range(activities)),
                        key=lambda block: (block["start"], block["key"]))
        order = rng.sample(range(len(SENTENCES)), len(SENTENCES))
        order.remove(0)
        order.insert(0, 0)  # the sentence naming the organisation opens the description
        values = {"n": rng.choice([12, 15, 17, 20, 25, 28, 30]), "m": rng.randint(5, 10),
                  "k": rng.choice([40, 60, 85, 100, 150]), "p": rng.randint(5, 9)}
        paragraphs = []
        for p in range(3):
            en, ru = [], []
            for index in order[5 * p:5 * p + 5]:
                year = rng.randint(1995, 2020)
                en.append(SENTENCES[index][0].format(org=name_en, year=year, **values))
                ru.append(SENTENCES[index][1].format(org=name_ru, year=year, **values))
            paragraphs.append({"type": "paragraph", "key": f"description.p{p + 1}",
                               "text": {"en": " ".join(en), "ru": " ".join(ru)}})
        seat = BY_CODE[own[0]]
        street_en, street_ru = rng.choice(STREETS)
        house, postcode = rng.randint(1, 120), rng.randint(10000, 99999)
        slug = "".join(word[0] for word in name_en.split() if word[0].isupper()).lower()
        contact: dict[str, Any] = {
            "type": "contact", "key": "contact.secretariat",
            "organisation": {"en": name_en, "ru": name_ru},
            "unit": {"en": "Secretariat", "ru": "Секретариат"},
            "street": {"en": street_en.format(n=house), "ru": street_ru.format(n=house)},
            "city": {"en": f"{postcode} {seat.cities[0][0]}, {seat.en}",
                     "ru": f"{postcode} {seat.cities[0][1]}, {seat.ru}"},
            "telephone": telephone(rng, seat.dial),
        }
        if rng.random() < 0.5:
            contact["fax"] = telephone(rng, seat.dial)
        contact |= {"email": f"secretariat@{slug}{number}.org",
                    "website": f"www.{slug}{number}.org"}
        sheet = {
            "id": sheet_id, "languages": ["en", "ru"], "sample": False,
            "title": {"en": "Participant Information", "ru": "Информация участника"},
            "organisation": {"en": name_en, "ru": name_ru},
            "sections": [
                {"key": "description",
                 "heading": {"en": "Short Description of Organization (Programme)",
                             "ru": "Краткое описание организации (программы)"},
                 "blocks": paragraphs},
                {"key": "activities",
                 "heading": {"en": "Activities with the Participation of the Countries",
                             "ru": "Мероприятия с участием стран"},
                 "blocks": blocks},
                {"key": "contact",
                 "heading": {"en": "Contact Information", "ru": "Контактная информация"},
                 "blocks": [contact]},
            ],
        }
        write_yaml(data / "sheets" / f"{sheet_id}.yaml", sheet)


def change_one_sheet(root: Path, round_number: int, sheet_id: str = EDITED_SHEET) -> None:
    """Edit one activity's text in both languages, as a secretariat would."""
    path = root / "data" / "sheets" / f"{sheet_id}.yaml"
    sheet = yaml.safe_load(path.read_text(encoding="utf-8"))
    edited = sheet["sections"][1]["blocks"][0]
    for lang in ("en", "ru"):
        original = edited["text"][lang].split(" (rev ")[0]
        edited["text"][lang] = f"{original} (rev {round_number})"
    write_yaml(path, sheet)
