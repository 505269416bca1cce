"""Console sub-commands of ``pos-app``; each module exposes ``main(argv) -> int``.

They sit just below ``pos_app.app`` in the layering: a command may plug adapters together
(store, devices, sync) the way the composition root does.
"""
