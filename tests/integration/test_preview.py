"""`studyguide serve`: a real browser sees each save in the cards and the book; the server is safe."""

from __future__ import annotations

import http.client
import json
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import urlopen

import pytest

from tests.conftest import ROOT
from tests.preview_server import LINE_WAIT, PreviewServer

FIXTURE = ROOT / "tests" / "fixtures" / "guides" / "orch-110.yaml"
CHROMIUM = "/usr/bin/chromium"
# No network beyond this machine, and nothing of Chromium's own fetched or updated.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
WAIT_MS = LINE_WAIT * 1000
OLD_TEXT = "Done while the tree is dormant"
NEW_TEXT = "Cut while the tree sleeps soundly"


@pytest.fixture
def guide_copy(tmp_path) -> Path:
    folder = tmp_path / "sources"
    folder.mkdir()
    for name in (FIXTURE.name, FIXTURE.with_suffix("").name + ".releases.json"):
        shutil.copy(FIXTURE.parent / name, folder / name)
    return folder / FIXTURE.name


@pytest.fixture
def server(guide_copy):
    running = PreviewServer(guide_copy, guide_copy.parent.parent)
    yield running
    running.stop()
    assert not (guide_copy.parent.parent / "dist").exists(), "the preview wrote into dist/"


def save(path: Path, text: str) -> None:
    """As an editor saves: a new file renamed over the old one."""
    temporary = path.with_name(f".{path.name}.saving")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)


@pytest.mark.slow
def test_a_save_shows_in_the_cards_and_the_book_and_a_broken_one_shows_its_problems(server, guide_copy):
    from playwright.sync_api import expect, sync_playwright

    source = guide_copy.read_text(encoding="utf-8")
    assert OLD_TEXT in source
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            errors = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(server.url)
            cards = page.locator("#card-list")
            expect(cards.get_by_text(OLD_TEXT)).to_be_visible(timeout=WAIT_MS)  # inside the card's shadow root
            page.evaluate("window.notReloaded = true")

            page.click("nav#views a[data-view=book]")
            page.click("#chapters a:text('Prune and Train Trees')")
            book = page.frame_locator("#book-frame")
            expect(book.get_by_text(OLD_TEXT)).to_be_visible(timeout=WAIT_MS)

            save(guide_copy, source.replace(OLD_TEXT, NEW_TEXT))
            expect(book.get_by_text(NEW_TEXT)).to_be_visible(timeout=WAIT_MS)  # the same chapter, rebuilt
            page.click("nav#views a[data-view=cards]")
            expect(cards.get_by_text(NEW_TEXT)).to_be_visible(timeout=WAIT_MS)
            expect(cards.get_by_text(OLD_TEXT)).to_have_count(0)

            broken = source.replace(OLD_TEXT, NEW_TEXT).replace("id: winter-pruning", "id: [winter-pruning", 1)
            line = broken.splitlines().index("      - id: [winter-pruning") + 1
            save(guide_copy, broken)
            problems = page.locator("#problems")
            expect(problems).to_contain_text(f"{guide_copy}:{line}:13: (yaml): YAML syntax error", timeout=WAIT_MS)
            expect(page.locator("#status")).to_contain_text("showing the last good preview")
            expect(cards.get_by_text(NEW_TEXT)).to_be_visible()  # the last good build stays

            save(guide_copy, source)
            expect(problems).to_be_hidden(timeout=WAIT_MS)
            expect(cards.get_by_text(OLD_TEXT)).to_be_visible(timeout=WAIT_MS)
            expect(page.locator("#status")).to_contain_text("Up to date")
            assert page.evaluate("window.notReloaded") is True  # all of it without a reload
            assert errors == []
        finally:
            browser.close()


@pytest.mark.slow
def test_the_sheet_follows_with_what_the_fill_kept_and_left_out(server):
    from playwright.sync_api import expect, sync_playwright

    server.wait_for(r"^build 1: cheat sheets in ")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(server.url + "#sheet")
            papers = page.locator("#papers article")
            expect(papers).to_have_count(2, timeout=WAIT_MS)
            for paper in ("a4", "letter"):
                images = page.locator(f"img[alt$='of the {paper} sheet']")
                expect(images).to_have_count(2)
                for index in range(2):
                    # decode() settles when the picture has arrived: it rejects a broken one, and
                    # does not race the download as reading `complete` at once would.
                    width = images.nth(index).evaluate("image => image.decode().then(() => image.naturalWidth)")
                    assert width > 0
            expect(page.locator("#papers").get_by_text("On the sheet (")).to_have_count(2)
            expect(page.locator("#papers").get_by_text("Left out (")).to_have_count(2)
        finally:
            browser.close()


@pytest.mark.slow
def test_a_broken_save_keeps_the_last_good_sheet_and_the_next_good_one_replaces_it(server, guide_copy):
    """The sheet of a save is laid out beside its cards and book, but shown only if they were built."""
    source = guide_copy.read_text(encoding="utf-8")
    server.wait_for(r"^build 1: cheat sheets in ")
    save(guide_copy, source.replace("id: winter-pruning", "id: [winter-pruning", 1))
    server.wait_for(r"problems? in .*; the page keeps the last good preview")
    state = json.loads(urlopen(server.url + "state.json", timeout=LINE_WAIT).read())
    assert (state["status"], state["sheet_status"], state["sheet"]["number"]) == ("broken", "ready", 1)
    save(guide_copy, source.replace(OLD_TEXT, NEW_TEXT))
    server.wait_for(r"^build 3: cheat sheets in ")
    assert not [line for line in server.seen if line.startswith("build 2: ")], server.seen


def _listening_addresses(port: int) -> set[str]:
    """The local addresses a socket listens on at `port`, from the kernel's own tables."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for row in Path(table).read_text().splitlines()[1:]:
            local, state = row.split()[1], row.split()[3]
            address, hex_port = local.split(":")
            if int(hex_port, 16) == port and state == "0A":  # LISTEN
                found.add(socket.inet_ntop(socket.AF_INET if len(address) == 8 else socket.AF_INET6,
                                           bytes.fromhex(address)[::-1] if len(address) == 8
                                           else b"".join(bytes.fromhex(address[k:k + 8])[::-1]
                                                         for k in range(0, 32, 8))))
    return found


def _get(url: str, raw_path: str) -> tuple[int, bytes]:
    """GET `raw_path` exactly as written, with no client-side normalising."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=LINE_WAIT)
    try:
        connection.putrequest("GET", raw_path, skip_accept_encoding=True)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@pytest.mark.slow
def test_the_server_listens_on_loopback_only_serves_its_folder_and_stops_on_ctrl_c(server, guide_copy, tmp_path):
    port = urlsplit(server.url).port
    assert urlsplit(server.url).hostname == "127.0.0.1"
    assert _listening_addresses(port) == {"127.0.0.1"}
    server.wait_for(r"^build 1: cards and book in ")

    status, body = _get(server.url, "/files/build-1/cards.json")
    assert status == 200 and b'"cards"' in body  # the control: the preview's own files are served
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the browser")
    for path in ["/files/../../../../etc/passwd", "/files/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
                 "/files/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd", "/files/build-1%2f..%2f..%2fsecret.txt",
                 "/files/..%5c..%5csecret.txt", "/files//etc/passwd", "/files/%2Fetc%2Fpasswd",
                 f"/files/{secret}", f"/files//{secret}", "/../../../etc/passwd", "/files/build-1/./cards.json",
                 "/files/build-1/../build-1/cards.json", "/files/%00/etc/passwd"]:
        status, body = _get(server.url, path)
        assert status == 404, (path, status)
        assert b"root:" not in body and b"not for the browser" not in body

    second = subprocess.run([sys.executable, "-m", "exporter", "serve", str(guide_copy), "--port", str(port)],
                            capture_output=True, text=True, timeout=LINE_WAIT)
    assert second.returncode == 1
    assert second.stdout == ""
    assert second.stderr.splitlines() == [f"error: port {port} on 127.0.0.1 is in use; choose another with --port"]

    status, errors = server.interrupt()
    assert status == 130
    assert errors.splitlines() == ["interrupted; the preview stopped (nothing was written into dist/)."]


@pytest.mark.slow
def test_quick_saves_coalesce_into_one_rebuild(server, guide_copy):
    server.wait_for(r"^build 1: cards and book in ")
    source = guide_copy.read_text(encoding="utf-8")
    for number in range(6):  # one after the other, as fast as an editor's autosave could
        save(guide_copy, source.replace(OLD_TEXT, f"{NEW_TEXT} {number}"))
    while True:
        number = int(server.wait_for(r"^build \d+: cards and book in ").split()[1].rstrip(":"))
        status, body = _get(server.url, f"/files/build-{number}/cards.json")
        assert status == 200
        if f"{NEW_TEXT} 5".encode() in body:
            break
    assert number <= 3, "six quick saves took more than two rebuilds to show"
