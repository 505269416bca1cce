"""The console's look: calm greys, one accent colour per order state, a red badge that only
shouts while orders wait to be accepted."""

STYLE = """
QMainWindow#consoleWindow, QWidget { font-size: 10.5pt; }
QLabel#panelTitle, QLabel#detailTitle { font-size: 14pt; font-weight: 600; color: #1b2631; }
QLabel#badge {
    min-width: 26px; padding: 2px 8px; border-radius: 11px; font-weight: 700;
    background: #d5d8dc; color: #1b2631;
}
QLabel#badge[hot="true"] { background: #c0392b; color: white; }
QLabel#stateChip {
    padding: 2px 10px; border-radius: 9px; font-weight: 600; color: white; background: #5d6d7e;
}
QLabel#stateChip[state="new"] { background: #c0392b; }
QLabel#stateChip[state="accepted"] { background: #2471a3; }
QLabel#stateChip[state="paid"] { background: #1e8449; }
QLabel#actionMessage {
    padding: 6px 8px; border-radius: 4px; background: #eaf2f8; color: #1b4f72;
}
QLabel#actionMessage[warning="true"] { background: #fdedec; color: #922b21; }
QLabel#connection { padding: 1px 8px; border-radius: 8px; color: white; background: #922b21; }
QLabel#connection[online="true"] { background: #1e8449; }
QTableView, QTableWidget {
    gridline-color: #eaeded; alternate-background-color: #f8f9f9;
    selection-background-color: #d6eaf8; selection-color: #1b2631;
}
QHeaderView::section {
    background: #f2f3f4; padding: 4px 6px; border: none; border-bottom: 1px solid #d5d8dc;
    font-weight: 600; color: #424949;
}
QPushButton {
    padding: 6px 14px; border-radius: 4px; border: 1px solid #aab7b8; background: #fbfcfc;
}
QPushButton:hover { background: #f2f3f4; }
QPushButton:disabled { color: #aab7b8; border-color: #e5e8e8; background: #f8f9f9; }
QPushButton#acceptButton:enabled, QPushButton#payButton:enabled,
QPushButton#completeButton:enabled {
    background: #2471a3; color: white; border-color: #1f618d; font-weight: 600;
}
QPushButton#cancelButton:enabled, QPushButton#voidButton:enabled { color: #922b21; }
QPushButton#soundToggle:checked { background: #fef5e7; border-color: #d68910; }
QDialog#actionConfirmation { background: white; border: 2px solid #2471a3; }
QLabel#confirmQuestion { font-size: 14pt; font-weight: 600; color: #1b2631; padding-bottom: 4px; }
QLabel#confirmDetails { font-size: 11pt; color: #1b2631; }
QPushButton#confirmAction { color: #922b21; font-weight: 600; }
QTabWidget::pane { border-top: 1px solid #d5d8dc; }
QTabBar::tab { padding: 6px 16px; }
QTabBar::tab:selected { font-weight: 600; border-bottom: 2px solid #2471a3; }
"""
