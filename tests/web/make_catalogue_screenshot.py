"""The back office's catalogue page for docs/backoffice.md (issue 22 point 8), from a real
``pos-server run`` in headless chromium::

    .venv/bin/python -m tests.web.make_catalogue_screenshot

The demo catalogue is imported (its groups coloured), a member gives the latte its own colour
and uploads a picture through the form; saves ``docs/screenshots/backoffice-tile-ru.png``
(the form) and ``backoffice-catalogue-ru.png`` (the list); then makes a bundle on the product
form (issue 18 point 6) and saves ``backoffice-product-ru.png``; the list and that form in
English too (``backoffice-catalogue-en.png``, ``backoffice-product-en.png``).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from tests.tile_pictures import png
from tests.web.browser import ROOT, add_admin_by_cli, browser, live_server, sign_in

OUT = ROOT / "docs" / "screenshots"


def main() -> None:
    with tempfile.TemporaryDirectory() as folder, live_server(Path(folder)) as server:
        add_admin_by_cli(server.db_url, "Анна Владелец")
        demo = ROOT / "pos_server" / "demo_data" / "catalogue.json"
        command = [sys.executable, "-m", "pos_server.cli", "catalogue", "import", str(demo)]
        subprocess.run([*command, "--db", server.db_url], check=True, capture_output=True)
        picture = Path(folder) / "latte.png"
        picture.write_bytes(png(64, 64, (230, 207, 168)))
        with browser() as chromium:
            context = chromium.new_context(locale="ru", viewport={"width": 1200, "height": 760})
            page = context.new_page()
            page.goto(f"{server.url}/admin/language/ru?next=/admin/sign-in")
            sign_in(page, server, "Анна Владелец", path="/admin/catalogue/products/latte")
            page.wait_for_selector("#own_colour")
            page.check("#own_colour")
            page.fill("#colour", "#c2507a")
            page.set_input_files("#image", str(picture))
            page.click("#save")
            page.wait_for_url("**/admin/catalogue/products/latte?saved=1")
            page.screenshot(path=str(OUT / "backoffice-tile-ru.png"), full_page=True)
            page.goto(f"{server.url}/admin/catalogue?q=%D0%BB%D0%B0")  # "ла"
            page.screenshot(path=str(OUT / "backoffice-catalogue-ru.png"), full_page=True)
            page.goto(f"{server.url}/admin/catalogue/create/products")
            page.fill("#id", "breakfast")
            page.fill("#name", "Завтрак: латте и круассан")
            page.fill("#price", "290,00")
            page.select_option("#group_id", "kitchen")
            page.fill("#other_tags", "завтраки")
            for row, (part, quantity) in enumerate((("latte", "1"), ("croissant", "1"))):
                page.locator('input[name="part_id"]').nth(row).fill(part)
                page.locator('input[name="part_quantity"]').nth(row).fill(quantity)
            page.click("#save")
            page.wait_for_url("**/admin/catalogue/products/breakfast/edit?saved=1")
            page.screenshot(path=str(OUT / "backoffice-product-ru.png"), full_page=True)
            context.close()
            context = chromium.new_context(locale="en", viewport={"width": 1200, "height": 760})
            page = context.new_page()
            page.goto(f"{server.url}/admin/language/en?next=/admin/sign-in")
            sign_in(page, server, "Анна Владелец", path="/admin/catalogue")
            page.wait_for_url("**/admin/catalogue")
            page.goto(f"{server.url}/admin/catalogue?q=%D0%BB%D0%B0")  # the query after sign-in
            page.screenshot(path=str(OUT / "backoffice-catalogue-en.png"), full_page=True)
            page.goto(f"{server.url}/admin/catalogue/products/breakfast/edit")
            page.wait_for_selector("#save")
            page.screenshot(path=str(OUT / "backoffice-product-en.png"), full_page=True)
            context.close()
        print(
            f"saved {OUT}/backoffice-tile-ru.png, backoffice-catalogue-{{ru,en}}.png and "
            "backoffice-product-{ru,en}.png"
        )


if __name__ == "__main__":
    main()
