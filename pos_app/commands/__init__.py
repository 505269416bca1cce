"""The commands of ``pos-app`` (registered in ``pos_app.app.COMMANDS``; each module exposes
``main(argv) -> int``) and the composition root, ``composition.py``.

They sit just below ``pos_app.app`` in the layering, above every adapter: the services meet the
store, the devices and sync here, built by ``composition.py``.
"""
