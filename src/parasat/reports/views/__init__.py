"""Views of the report:

- :mod:`.working` — the team's working text, the stages, the versions and
  their comparison, comments and responses, translation files;
- :mod:`.read` — the public read edition, its figures' data, the PDF and the
  offline copy.
"""
