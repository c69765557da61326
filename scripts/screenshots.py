"""Take the README's screenshots from a running demo (`motcua demo`), with Debian's Chromium.

python scripts/screenshots.py [BASE_URL]    # default http://127.0.0.1:8000
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(base + "/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill("motcua2026")
    page.get_by_role("button", name="Đăng nhập").click()


def main() -> None:
    base = (sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000").rstrip("/")
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        desktop = browser.new_page(viewport={"width": 1280, "height": 800}, locale="vi-VN")
        desktop.goto(base + "/thu-tuc/?q=dang+ky+khai+sinh")
        desktop.screenshot(path=str(OUT / "catalogue-search.png"))
        desktop.goto(base + "/thu-tuc/1.001193/")
        desktop.screenshot(path=str(OUT / "procedure.png"), full_page=True)
        desktop.goto(base + "/lich-lam-viec/2026/")
        desktop.screenshot(path=str(OUT / "working-calendar.png"))
        log_in(desktop, base, "binh")
        desktop.get_by_role("link", name="UBND Phường Hạc Thành").first.click()
        desktop.screenshot(path=str(OUT / "officer-unit.png"))
        # a returned dossier: its forms and the signed result, then the public check of it
        desktop.goto(base + "/can-bo/tim-kiem/?q=038090001234")
        row = desktop.get_by_role("row").filter(has_text="tình trạng hôn nhân")
        row.get_by_role("link").first.click()
        documents = desktop.locator("section[aria-labelledby=documents-title]")
        documents.screenshot(path=str(OUT / "dossier-documents.png"))
        result = desktop.get_by_role("listitem").filter(has_text="Giấy xác nhận tình trạng")
        result.get_by_role("link", name="Kiểm tra chữ ký").click()
        desktop.screenshot(path=str(OUT / "signature-check.png"), full_page=True)
        leader = browser.new_page(viewport={"width": 1280, "height": 800}, locale="vi-VN")
        log_in(leader, base, "thu")
        leader.goto(base + "/bao-cao/bieu-06/")
        leader.screenshot(path=str(OUT / "report-form06.png"), full_page=True)
        phone = browser.new_page(viewport={"width": 360, "height": 740}, locale="vi-VN")
        log_in(phone, base, "an")
        phone.screenshot(path=str(OUT / "citizen-home-phone.png"))
        phone.goto(base + "/ca-nhan/kho-du-lieu/")
        phone.screenshot(path=str(OUT / "document-store-phone.png"), full_page=True)
        browser.close()
    print(f"screenshots: 9 pages saved to {OUT}")  # noqa: T201


if __name__ == "__main__":
    main()
