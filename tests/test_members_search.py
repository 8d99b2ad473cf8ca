"""The members' search: the Swedish stemmer in Python and in members-search.js agree, and the index finds words.

The browser part (search only after unlock) is in test_members_levels.py.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from foreningssajt.members import area_search
from foreningssajt.members.swedish_stem import stem

REPO = Path(__file__).resolve().parents[1]
SEARCH_JS = REPO / "foreningssajt/theme/static/js/members-search.js"

# Words whose Snowball Swedish stems are known from the algorithm's published sample.
KNOWN = {
    "jaktkarlarne": "jaktkarl",
    "klokhet": "klok",
    "klokaste": "klok",
    "kloka": "klok",
    "styrelsen": "styr",
    "budgeten": "budget",
    "beslutade": "beslut",
    "lönerna": "lön",
    "ekonomiskt": "ekonomisk",
    "fullt": "fullt",
}


def node_stems(words: list[str]) -> list[str]:
    script = (
        f"require({json.dumps(str(SEARCH_JS))});"
        "const words = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "process.stdout.write(JSON.stringify(words.map(globalThis.MembersSearch.stem)));"
    )
    done = subprocess.run(
        ["node", "-e", script], input=json.dumps(words), capture_output=True, text=True, timeout=60, check=True
    )
    return json.loads(done.stdout)


def test_known_stems() -> None:
    assert {word: stem(word) for word in KNOWN} == KNOWN


def test_javascript_stems_every_word_of_the_demo_like_python() -> None:
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted((REPO / "content").rglob("*.md")))
    words = sorted(set(area_search.words(text)))
    assert len(words) > 1000  # the whole demo vocabulary, not a handful
    assert node_stems(words) == [stem(word) for word in words]


def test_index_finds_inflected_forms_and_lists_pages() -> None:
    pages = [
        area_search.SearchPage("/medlem/a/", "Protokoll", "2 april 2026", "Protokoll", "Motionen om cykelställen"),
        area_search.SearchPage("/medlem/b/", "Brev", "10 maj 2026", "Medlemsbrev", "Vi plockar skräp"),
    ]
    index = area_search.build_index(pages)
    assert index["pages"][0] == ["/medlem/a/", "Protokoll", "2 april 2026", "Protokoll", ""]
    assert index["terms"][stem("cykelställ")] == [0]  # "cykelställen" and "cykelställ" meet
    assert index["terms"][stem("motion")] == [0]
    assert index["terms"][stem("skräp")] == [1]


def test_javascript_search_matches_all_words_and_an_unfinished_last_one() -> None:
    index = area_search.build_index(
        [
            area_search.SearchPage("/a/", "A", "", "", "Styrelsen beslutade om budgeten"),
            area_search.SearchPage("/b/", "B", "", "", "Medlemmarna beslutar om cykelbanor"),
        ]
    )
    queries = ["budget", "beslut", "beslutade budget", "cykelba", "ingenting", "styrelsens"]
    script = (
        f"require({json.dumps(str(SEARCH_JS))});"
        "const [index, queries] = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "process.stdout.write(JSON.stringify(queries.map((q) => globalThis.MembersSearch.search(index, q))));"
    )
    done = subprocess.run(
        ["node", "-e", script], input=json.dumps([index, queries]), capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [[0], [0, 1], [0], [1], [], [0]]
