"""Images made for the web (issue 15): no metadata anywhere, sizes, formats, share images.

A small site is built once by foreningssajt/cli/build.py with a phone-like JPEG that carries GPS
EXIF and XMP, a PNG in a post's body and a huge original; a second site holds a broken
file. Everything published is opened again with Pillow and read as bytes.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image
from sitebuild import REPO, build_site, make_site, post

from foreningssajt.images.cleaning import clean_image_bytes
from foreningssajt.images.email import email_image

GPS_IFD = 0x8825
XMP = (
    b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
    b"<rdf:Description>Hemlig plats</rdf:Description></x:xmpmeta><?xpacket end='w'?>"
)


def phone_photo(width: int = 2000, height: int = 1500, orientation: int = 1) -> bytes:
    """A JPEG with what a phone writes: camera, GPS position (Björkvik-ish), XMP."""
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    exif = Image.Exif()
    exif[0x010F] = "Telefonmärke"  # Make
    exif[0x0112] = orientation
    exif[GPS_IFD] = {1: "N", 2: (59.0, 17.0, 30.0), 3: "E", 4: (16.0, 30.0, 15.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, xmp=XMP, quality=90)
    return out.getvalue()


def png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (30, 90, 140)).save(out, "PNG")
    return out.getvalue()


def assert_no_metadata(path: Path) -> None:
    data = path.read_bytes()
    with Image.open(path) as image:
        assert not image.getexif(), f"{path.name} still has EXIF"
        assert not image.getexif().get_ifd(GPS_IFD), f"{path.name} still has a GPS position"
        assert "xmp" not in image.info and "XML:com.adobe.xmp" not in image.info, f"{path.name} has XMP"
    for marker in (b"Exif\x00\x00", b"xpacket", b"Hemlig plats", "Telefonmärke".encode()):
        assert marker not in data, f"{path.name} still holds {marker!r}"


@pytest.fixture(scope="module")
def photo_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    root = make_site(
        tmp_path_factory.mktemp("photos") / "site",
        {
            "posts/med-bild.md": post(
                "Torgmöte med bild",
                summary="Sammanfattningen som ska synas när länken delas.",
                image="images/telefon.jpg",
                image_alt="Ett torg i motljus",
                body="Första stycket.\n\n![Ett diagram](/images/diagram.png)\n",
            ),
            "posts/utan-bild.md": post(
                "Inlägg utan bild", date="2026-03-02 10:00", body="Det här första stycket beskriver sidan.\n\nMer."
            ),
        },
    )
    (root / "content/images/telefon.jpg").write_bytes(phone_photo())
    (root / "content/images/diagram.png").write_bytes(png(640, 400))
    (root / "content/images/jattestor.png").write_bytes(png(5200, 60))
    output = root / "output"
    result = build_site(root, output, search=False)
    assert result.returncode == 0, result.stderr
    return output, result.stderr


def article(output: Path, slug: str) -> str:
    return next(output.glob(f"nyheter/*/{slug}/index.html")).read_text(encoding="utf-8")


def test_no_published_image_keeps_exif_gps_or_xmp(photo_site: tuple[Path, str]) -> None:
    output, _ = photo_site
    published = [p for p in (output / "images").rglob("*") if p.suffix in (".jpg", ".png", ".webp", ".avif")]
    variants = [p for p in published if p.stem.startswith("telefon-")]
    assert len(variants) >= 8, sorted(p.name for p in published)  # four widths, two or three formats
    assert (output / "images/telefon.jpg") in published, "the original's address still works"
    for path in published:
        assert_no_metadata(path)


def test_widths_are_capped_at_the_original_and_the_full_copy_is_web_sized(photo_site: tuple[Path, str]) -> None:
    output, _ = photo_site
    widths = sorted(Image.open(p).width for p in (output / "images").glob("telefon-*.jpg"))
    assert widths == [480, 800, 1200, 1600]
    assert sorted(Image.open(p).width for p in (output / "images").glob("diagram-*.png")) == [480, 640]
    assert Image.open(output / "images/telefon.jpg").width == 2000
    assert Image.open(output / "images/telefon-800.webp").size == (800, 600)


def test_a_small_image_with_nothing_to_strip_is_published_byte_for_byte(photo_site: tuple[Path, str]) -> None:
    output, _ = photo_site
    source = output.parent / "content/images/diagram.png"
    assert (output / "images/diagram.png").read_bytes() == source.read_bytes()
    assert (output / "images/telefon.jpg").read_bytes() != (output.parent / "content/images/telefon.jpg").read_bytes()


def test_picture_markup_has_srcset_sizes_dimensions_and_lazy_loading_below_the_fold(
    photo_site: tuple[Path, str],
) -> None:
    html = article(photo_site[0], "med-bild")
    pictures = re.findall(r"<picture>.*?</picture>", html, re.DOTALL)
    assert len(pictures) == 2, "the lead image and the image in the text"
    lead, body = pictures
    assert '<source type="image/webp" srcset="/images/telefon-480.webp 480w, ' in lead
    assert 'width="1600" height="1200"' in lead and 'alt="Ett torg i motljus"' in lead
    assert 'loading="lazy"' not in lead, "the lead image is above the fold"
    assert 'sizes="' in lead and 'srcset="/images/telefon-480.jpg 480w' in lead
    assert 'loading="lazy"' in body and 'decoding="async"' in body
    assert 'width="640" height="400"' in body and 'alt="Ett diagram"' in body
    for url in re.findall(r"(/images/[\w./-]+)", html):
        assert (photo_site[0] / url.lstrip("/")).is_file(), url


def test_share_image_and_description_come_from_the_page(photo_site: tuple[Path, str]) -> None:
    output, _ = photo_site
    with_image = article(output, "med-bild")
    assert re.search(r'<meta property="og:image" content="https://[^"]+/images/telefon-1200\.jpg">', with_image)
    assert 'property="og:description" content="Sammanfattningen som ska synas när länken delas."' in with_image
    without = article(output, "utan-bild")
    card = re.search(r'<meta property="og:image" content="https://[^"/]+/(images/delning/\w+\.png)">', without)
    assert card, "a page without a photo gets a generated card"
    assert Image.open(output / card.group(1)).size == (1200, 630)
    assert '<meta name="description" content="Det här första stycket beskriver sidan.">' in without


def test_huge_original_gets_a_swedish_warning(photo_site: tuple[Path, str]) -> None:
    _, stderr = photo_site
    assert "varning: content/images/jattestor.png: image: bilden är 5200×60 pixlar" in stderr
    assert "telefon.jpg" not in stderr


def test_broken_image_stops_the_build_with_one_swedish_line(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site", {"posts/trasig.md": post(image="images/trasig.jpg")})
    (root / "content/images/trasig.jpg").write_bytes(phone_photo(400, 300)[:900])  # cut off mid-file
    (root / "content/images/inte-en-bild.png").write_text("<html>hoppsan</html>", encoding="utf-8")
    output = root / "output"
    result = build_site(root, output, search=False)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    for name in ("trasig.jpg", "inte-en-bild.png"):
        line = f"content/images/{name}: image: filen går inte att läsa som bild"
        assert result.stderr.count(line) == 1, result.stderr
    assert not output.exists(), "a failed build leaves output/ as it was"


def test_clean_image_bytes_drops_metadata_and_keeps_the_picture_upright() -> None:
    rotated = phone_photo(300, 200, orientation=6)  # a phone held upright: "rotate 90°"
    cleaned = clean_image_bytes(rotated, "content/members/bild.jpg")
    with Image.open(io.BytesIO(cleaned)) as image:
        assert image.format == "JPEG"
        assert image.size == (200, 300), "the rotation EXIF asked for is applied before EXIF goes"
        assert not image.getexif()
    assert b"Hemlig plats" not in cleaned and b"Exif\x00\x00" not in cleaned


def test_email_images_are_at_most_1200_px_and_clean(tmp_path: Path) -> None:
    source = tmp_path / "content/images/stor.jpg"
    source.parent.mkdir(parents=True)
    source.write_bytes(phone_photo(3000, 2000))
    settings = {"CACHE_PATH": str(tmp_path / ".cache/abc")}
    copy = email_image(source, settings, "content/images/stor.jpg")
    assert Image.open(copy).size == (1200, 800)
    assert_no_metadata(copy)


def test_a_rebuild_reuses_the_encoded_images(photo_site: tuple[Path, str]) -> None:
    output, _ = photo_site
    root = output.parent
    cached = sorted((root / ".cache" / "images").glob("*-*.*"))
    assert any(p.suffix == ".webp" for p in cached) and any(p.name.startswith("share-") for p in cached)
    before = {p: p.stat().st_mtime_ns for p in cached}
    rebuilt = root / "output-again"
    result = build_site(root, rebuilt, search=False)
    assert result.returncode == 0, result.stderr
    assert {p: p.stat().st_mtime_ns for p in cached} == before, "nothing was encoded again"
    assert (rebuilt / "images/telefon-1600.webp").read_bytes() == (output / "images/telefon-1600.webp").read_bytes()


@pytest.mark.parametrize("fmt", ["PNG", "WEBP", "TIFF", "GIF"])
def test_clean_image_bytes_keeps_the_format_and_drops_the_camera(fmt: str) -> None:
    source = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "Telefonmärke"
    options = {} if fmt == "GIF" else {"exif": exif}
    Image.new("RGB", (50, 40), (200, 10, 10)).save(source, fmt, **options)
    with Image.open(io.BytesIO(clean_image_bytes(source.getvalue(), f"bild.{fmt.lower()}"))) as cleaned:
        assert cleaned.format == fmt and cleaned.size == (50, 40)
        assert 0x010F not in cleaned.getexif()


def test_site_yml_hero_photo_is_on_the_home_page_clean_and_described(tmp_path: Path) -> None:
    site_yml = (REPO / "site.yml").read_text(encoding="utf-8")
    site_yml += "hero: images/torget.jpg\nhero_alt: Medlemmar delar ut rosor på torget\n"
    root = make_site(tmp_path / "site", {"posts/a.md": post()}, site_yml=site_yml)
    (root / "content/images/torget.jpg").write_bytes(phone_photo())
    result = build_site(root, root / "output", search=False)
    assert result.returncode == 0, result.stderr

    home = (root / "output/index.html").read_text(encoding="utf-8")
    hero = re.search(r'<section class="hero has-photo".*?</section>', home, re.S).group(0)
    assert 'alt="Medlemmar delar ut rosor på torget"' in hero
    assert 'loading="lazy"' not in hero, "the hero is above the fold"
    for source in re.findall(r'(?:src|srcset)="([^" ]+)', hero):
        assert_no_metadata(root / "output" / source.lstrip("/"))


def test_members_photo_attachment_is_encrypted_without_metadata(tmp_path: Path) -> None:
    from foreningssajt.members.password import DEMO_PASSWORD
    from foreningssajt.members.staticrypt import Cipher, derive_key

    header = "title: Protokoll med foto\ndate: 2026-03-04 18:00\nmeeting: styrelse\nattachments: [foto.jpg]\n"
    minute = f"---\n{header}---\nMötet öppnades.\n"
    root = make_site(tmp_path / "site", {"members/minutes/m.md": minute})
    (root / "content/members/minutes/foto.jpg").write_bytes(phone_photo(800, 600))
    result = build_site(root, root / "output", search=False)
    assert result.returncode == 0, result.stderr

    [encrypted] = (root / "output/medlem/filer").glob("*.bin")
    key = derive_key(DEMO_PASSWORD, (root / "members-salt.txt").read_text(encoding="ascii").strip())
    photo = Image.open(io.BytesIO(Cipher(key).decrypt(encrypted.read_text(encoding="ascii"))))
    assert photo.format == "JPEG" and photo.size == (800, 600)
    assert not photo.getexif() and "xmp" not in photo.info
