"""The till's look: large readable type, big touch targets, the amount to pay in heavy type.

One style sheet for the whole app, so screens share a look without each styling itself.
``style_sheet(font_px, touch)`` scales every type size from the 15 px base and, in touch mode,
gives every target room for a finger (the till's settings, ``services/screen_look.py``).
"""

from __future__ import annotations

import re

BASE_FONT_PX = 15
TOUCH_ROW_HEIGHT = 46  # the basket's rows in touch mode (30 otherwise)

_BASE = """
QWidget { font-size: 15px; color: #1d2329; }
QMainWindow, QDialog { background: #eef1f4; }
#header { background: #1f2a36; }
#header QLabel { color: #e9eef3; font-size: 16px; }
#venueName { font-size: 18px; font-weight: 600; }
QLineEdit { padding: 8px 10px; border: 1px solid #b9c3cc; border-radius: 6px;
            background: white; font-size: 17px; }
QLineEdit:focus { border: 2px solid #2f7dd1; }
#groupButton { padding: 8px 14px; border-radius: 6px; background: #dfe5ea;
               border: 1px solid #c8d1d9; font-weight: 600; }
#groupButton:checked { background: #2f7dd1; color: white; border-color: #2f7dd1; }
#productTile { background: white; border: 1px solid #cfd7de; border-radius: 8px;
               font-size: 15px; padding: 6px; text-align: left; }
#productTile:hover { border-color: #2f7dd1; }
#productTile:pressed { background: #dbe9f8; }
#basket { background: white; border: 1px solid #cfd7de; border-radius: 6px;
          font-size: 16px; gridline-color: #eef1f4; }
QHeaderView::section { background: #f5f7f9; border: none; padding: 6px;
                       font-weight: 600; color: #56626e; }
#totals, #guestPanel { background: white; border: 1px solid #cfd7de; border-radius: 8px; }
#grandTotal { font-size: 36px; font-weight: 700; color: #11181f; }
#grandTotal[change="true"] { font-size: 40px; color: #1e7a46; }
#toPayCaption { font-size: 18px; font-weight: 700; color: #56626e; }
#toPayCaption[change="true"] { font-size: 22px; color: #1e7a46; }
#totals QLabel { color: #56626e; }
#totals #grandTotal { color: #11181f; }
#totals #grandTotal[change="true"], #totals #toPayCaption[change="true"] { color: #1e7a46; }
#itemCount { color: #56626e; }
#guestName { font-size: 18px; font-weight: 700; }
#guestSummary { color: #33404c; }
#guestDetailsButton { padding: 2px 10px; font-size: 14px; }
#guestPoints { font-size: 17px; font-weight: 700; color: #1d5e34; }
#guestHint { color: #6b7783; }
QPushButton { padding: 8px 12px; border-radius: 6px; border: 1px solid #c2ccd5;
              background: #f8fafb; }
QPushButton:pressed { background: #dde4ea; }
#payCashButton { background: #1e9e5a; color: white; font-size: 20px; font-weight: 700;
                 border: none; padding: 14px; }
#payCashButton:disabled { background: #9fcfb5; }
#cancelSaleButton { color: #a23030; }
#messageBanner[level="error"] { background: #fde8e8; color: #8f1d1d; border-radius: 6px;
                                padding: 8px; font-weight: 600; }
#messageBanner[level="info"] { background: #e6f4ea; color: #1d5e34; border-radius: 6px;
                               padding: 8px; font-weight: 600; }
#shiftButton { background: #33465a; color: #e9eef3; border: 1px solid #4a6077; }
#shiftReport { font-size: 14px; }
#signIn, #payment, #newGuest, #shift, #reconciliation { background: #ffffff;
                               border: 2px solid #2f7dd1; border-radius: 10px; }
#methodButton { padding: 12px; font-size: 17px; font-weight: 600; }
#methodButton:checked { background: #2f7dd1; color: white; border-color: #2f7dd1; }
#paymentDue { font-size: 36px; font-weight: 700; }
#paymentChange { font-size: 24px; font-weight: 700; color: #1e7a46; }
#paymentChange[level="error"] { font-size: 18px; color: #b3261e; }
#noteButton { font-size: 16px; padding: 10px; }
#paymentNotice { background: #fde8e8; color: #8f1d1d; border-radius: 6px; padding: 8px;
                 font-weight: 600; }
QPushButton:focus, QToolButton:focus { border: 2px solid #2f7dd1; }
#signInTitle, #reconciliationTitle { font-size: 20px; font-weight: 600; }
#pinEdit { font-size: 28px; letter-spacing: 8px; }
#keypadButton { font-size: 22px; }
#signInError { color: #8f1d1d; font-weight: 600; min-height: 40px; }
#connectionBanner { font-size: 17px; font-weight: 700; padding: 4px 14px; border-radius: 6px; }
#connectionBanner[level="offline"] { background: #c62828; color: #ffffff; }
#connectionBanner[level="unenrolled"] { background: #f2b705; color: #1d2329; }
#shiftInfo { color: #1d5e34; font-weight: 600; min-height: 40px; }
#syncStatus { padding: 2px 8px; color: #8a5a00; }
#syncStatus[online="true"] { color: #1d5e34; }
#syncProblems { padding: 2px 8px; color: #a61b1b; font-weight: bold; border: none; }
#customerDisplay { background: #f7f9fb; }
#displayVenue { font-size: 28px; font-weight: 700; color: #1f2a36; }
#displayLines { font-size: 24px; background: white; border: 1px solid #cfd7de;
                border-radius: 8px; }
#displayGuest { font-size: 26px; font-weight: 600; color: #1d5e34; }
#displayTotals { background: white; border: 1px solid #cfd7de; border-radius: 10px; }
#displayCaption { font-size: 30px; font-weight: 700; color: #56626e; }
#displayTotal { font-size: 64px; font-weight: 800; color: #11181f; }
#displayCaption[state="closed"], #displayTotal[state="closed"] { color: #1e7a46; }
#displayNote { font-size: 24px; color: #1d5e34; font-weight: 600; }
#displayQrCaption { font-size: 18px; color: #33404c; }
"""

_TOUCH = """
QPushButton { min-height: 48px; padding: 10px 16px; }
QLineEdit { min-height: 40px; }
#productTile { min-height: 96px; }
#methodButton, #noteButton { min-height: 64px; padding: 10px 4px; }
#numpadKey { min-height: 56px; min-width: 64px; padding: 0; }
#guestDetailsButton { min-height: 40px; }
QScrollBar:vertical { width: 28px; }
"""

_FONT_SIZE = re.compile(r"font-size: (\d+)px")


def style_sheet(font_px: int = BASE_FONT_PX, touch: bool = False) -> str:
    """The style sheet with every type size scaled by ``font_px / 15``, plus the touch rules."""
    scale = font_px / BASE_FONT_PX
    sheet = _BASE + (_TOUCH if touch else "")
    if font_px == BASE_FONT_PX:
        return sheet
    return _FONT_SIZE.sub(lambda m: f"font-size: {round(int(m.group(1)) * scale)}px", sheet)


STYLE_SHEET = style_sheet()
