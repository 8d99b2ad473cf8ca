"""The members' area: reads content/members/, encrypts it, writes only ciphertext.

staticrypt.py holds the StatiCrypt v3 format (key derivation, cipher, salt file).
"""


def register() -> None:
    # Placeholder: the members' generator engineer fills this in (connects the
    # generator to Pelican's signals). Until then the plugin does nothing.
    pass
