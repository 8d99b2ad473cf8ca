"""The newsletter's plain-text part (foreningssajt/newsletter_mail/plaintext.py): plain text, not Markdown."""

from __future__ import annotations

from foreningssajt.newsletter_mail.plaintext import plain_text


def test_no_markdown_noise() -> None:
    text = plain_text(
        "<p><strong>Viktigt:</strong> 1. maj är <em>snart</em> – *stjärnor* och \\ kvar.</p><p>- ett streck</p>"
    )
    assert text == "Viktigt: 1. maj är snart – *stjärnor* och \\ kvar.\n\n- ett streck\n"


def test_headings_are_underlined() -> None:
    text = plain_text("<h1>Medlemsbrev</h1><h2>Årsmötet</h2><h3>Motioner</h3><p>Text.</p>")
    assert text == "Medlemsbrev\n===========\n\nÅrsmötet\n--------\n\nMotioner\n\nText.\n"


def test_links_become_numbered_notes_once_each() -> None:
    html = (
        '<p>Läs <a href="https://a.example.org/x/">nyheten</a> och <a href="https://a.example.org/x/">den här</a>,'
        ' mejla <a href="mailto:k@a.example.org">k@a.example.org</a>'
        ' eller <a href="mailto:k@a.example.org">oss</a>.</p>'
    )
    assert plain_text(html) == (
        "Läs nyheten [1] och den här [1], mejla k@a.example.org eller oss [2].\n"
        "\nLänkar:\n[1] https://a.example.org/x/\n[2] mailto:k@a.example.org\n"
    )


def test_images_show_their_alt_text() -> None:
    assert plain_text('<p><img src="cid:x" alt="Fanan på torget"><img src="cid:y" alt=""></p>') == (
        "[Bild: Fanan på torget]\n"
    )


def test_layout_tables_vanish_and_data_tables_keep_their_cells_apart() -> None:
    html = (
        '<table role="presentation"><tr><td><p>Före</p>'
        "<table><tr><th>Dag</th><th>Vad</th></tr><tr><td>1 maj</td><td>Tåg</td></tr></table>"
        "<p>Efter</p></td></tr><tr><td><p>Fot</p></td></tr></table>"
    )
    assert plain_text(html) == "Före\n\nDag | Vad\n1 maj | Tåg\n\nEfter\n\nFot\n"


def test_line_breaks_leave_no_trailing_spaces() -> None:
    text = plain_text("<p>Föreningen<br>Storgatan 1<br>123 45 Byn</p>")
    assert text == "Föreningen\nStorgatan 1\n123 45 Byn\n"
