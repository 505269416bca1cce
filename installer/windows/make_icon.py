"""Makes installer/windows/tillkeeper.ico (the .exe's and the installer's icon) from the app's
icon, pos_app/resources/icons/tillkeeper.svg, with Qt's own SVG renderer and ICO writer:

    QT_QPA_PLATFORM=offscreen python installer/windows/make_icon.py
"""

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

HERE = Path(__file__).resolve().parent
SVG = HERE.parents[1] / "pos_app" / "resources" / "icons" / "tillkeeper.svg"
SIZE = 128

if __name__ == "__main__":
    app = QGuiApplication([])
    image = QImage(SIZE, SIZE, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    QSvgRenderer(str(SVG)).render(painter)
    painter.end()
    if not image.save(str(HERE / "tillkeeper.ico"), "ICO"):
        raise SystemExit("Qt could not write the .ico")
