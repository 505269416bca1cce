"""The back office's money views and reports (issue 18 point 8): ``service`` adds them up."""
