"""The members' area: reads content/members/, encrypts it, writes only ciphertext.

staticrypt.py holds the StatiCrypt v3 format (key derivation, cipher, salt file);
generator.py reads, renders and encrypts; layout.py makes the URLs; password.py
reads MEMBERS_PASSWORD; protected.py lists the protected text for the leak audit.
"""

from pelican import signals

from .generator import MembersGenerator


def get_generators(pelican: object) -> type:
    return MembersGenerator


def register() -> None:
    signals.get_generators.connect(get_generators)
