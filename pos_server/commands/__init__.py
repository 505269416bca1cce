"""Sub-commands of ``pos-server`` other than ``run``, grouped by subject."""
