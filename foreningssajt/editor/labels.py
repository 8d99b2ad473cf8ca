"""What the web editor calls each header key, and the hint beneath it, in Swedish.

Keyed by header key, with a kind's own wording where the same key means something
else (a report's `meeting` is a date, a minute's is a meeting kind). A key the contract
gains later still gets a field, labelled with its own name, until it is named here.
"""

from __future__ import annotations

LABELS: dict[str, tuple[str, str]] = {
    "title": ("Rubrik", ""),
    "date": ("Datum och tid", "Nyheter sorteras efter datumet. Ett datum framåt i tiden visas först den dagen."),
    "summary": ("Sammanfattning", "En eller två meningar. Visas i listor och när sidan delas."),
    "author": ("Skribent", "Namnet som står under rubriken. Personerna står i site.yml under people."),
    "tags": ("Ämnen", "Ett eller flera ämnen, med komma emellan: välfärd, skola."),
    "image": ("Bild", "Valfri. Bilden sparas i content/images och syns för alla."),
    "image_alt": (
        "Bildbeskrivning",
        "Beskriv vad bilden visar, för den som inte ser den. Skriv alltid en om du har lagt in en bild.",
    ),
    "menu": ("Plats i menyn", "Valfri. Ett nummer; lägre nummer kommer först."),
    "year": ("År", "Året planen gäller, till exempel 2027."),
    "committee": ("Nämnd", "Nämnderna står i site.yml under committees."),
    "phase": ("Före eller efter sammanträdet", ""),
    "start": ("Börjar", "Datum och klockslag, svensk tid."),
    "end": ("Slutar", "Valfri. Fyll i antingen Slutar eller Längd, inte båda."),
    "duration": ("Längd", "Valfri, i stället för Slutar: 2h, 90min eller 1h30min."),
    "all_day": ("Heldag", "Slå på för en aktivitet utan klockslag."),
    "location": ("Plats", "Lokalerna står i site.yml under venues, med tillgänglighet."),
    "category": ("Kategori", ""),
    "signup": ("Anmälningslänk", "Valfri. Adressen till anmälan, oftast aktiviteten i Zetkin."),
    "recurrence": (
        "Upprepning",
        "Lämna tomt om aktiviteten inte upprepas. Första torsdagen varje månad: FREQ=MONTHLY;BYDAY=1TH. "
        "Sista fredagen: FREQ=MONTHLY;BYDAY=-1FR. Varje tisdag: FREQ=WEEKLY;BYDAY=TU. "
        "Fler exempel i guiden Kalendern.",
    ),
    "except": ("Inställda tillfällen", "Datum då en upprepad aktivitet inte blir av."),
    "members_only": ("Bara för medlemmar", "Aktiviteten visas då bara i medlemssidorna, krypterad."),
    "status": ("Status", "cancelled visar aktiviteten som inställd."),
    "attachments": (
        "Bilagor",
        "Till exempel det signerade protokollet som PDF. "
        "Bilagorna sparas bredvid protokollet och publiceras bara krypterade.",
    ),
    "access": ("Vem får läsa", "Lämna tomt så kan alla medlemmar läsa. Annars en behörighet från site.yml."),
    "public_passages": ("Meningar som får stå öppet", ""),
    "body": ("Text", ""),
}

BY_KIND: dict[tuple[str, str], tuple[str, str]] = {
    ("report", "author"): ("Förtroendevald", "Personen som skriver, från site.yml under people."),
    ("report", "meeting"): ("Sammanträdesdatum", "Datumet för nämndens sammanträde."),
    ("report", "date"): ("Skriven", "När rapporten skrevs."),
    ("minutes", "meeting"): ("Mötestyp", "Mötestyperna står i site.yml under meeting_kinds."),
    ("minutes", "date"): ("Mötets datum och tid", ""),
    ("newsletter", "date"): ("Utskicksdatum", ""),
    ("event", "title"): ("Aktivitetens namn", ""),
}

# What the editor shows for a contract's fixed values (the file keeps the value itself).
OPTION_LABELS: dict[str, str] = {
    "before": "Före sammanträdet",
    "after": "Efter sammanträdet",
    "published": "Publicerad",
    "draft": "Utkast (publiceras inte)",
    "hidden": "Dold",
    "cancelled": "Inställd",
    "confirmed": "Blir av",
    "tentative": "Preliminär",
}

# Beside every collection of the members' area (DESIGN.md: protected, only encrypted).
MEMBERS_NOTE = (
    "Bara för medlemmar: publiceras enbart krypterat bakom medlemslösenordet. "
    "Kopiera aldrig text härifrån till en öppen sida."
)


def label(kind: str, key: str) -> tuple[str, str]:
    return BY_KIND.get((kind, key)) or LABELS.get(key) or (key, "")
