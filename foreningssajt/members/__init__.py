"""The members' area: reads content/members/, encrypts it, writes only ciphertext.

inventory.py decides what is protected (once per build, before any generator runs);
staticrypt.py holds the StatiCrypt v3 format (key derivation, cipher, salt file);
generator.py reads, renders and encrypts; layout.py makes the URLs; password.py
reads MEMBERS_PASSWORD and judges its strength.
"""

from typing import Any

from pelican import signals

from .generator import MembersGenerator
from .inventory import inventory_for


def get_generators(pelican: object) -> type:
    return MembersGenerator


def list_protected(pelican: Any) -> None:
    # Before any generator: the calendar and the members' generator both ask it.
    inventory_for(pelican.settings)


def register() -> None:
    signals.initialized.connect(list_protected)
    signals.get_generators.connect(get_generators)
