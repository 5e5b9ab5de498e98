"""Views of the self-assessment, by part of the work:

- :mod:`.work` — the co-ordinator's and analysts' dashboard, "my work",
  assigning, the queue of submitted answers and forwarding;
- :mod:`.answering` — the answer form, saving, evidence, comments, history;
- :mod:`.data` — exports and the import of field-collected answers.
"""
