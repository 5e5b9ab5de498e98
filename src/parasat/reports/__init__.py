"""The report (Articles 4 and 6, Annex I §IV steps 6–9): the preliminary
report, the draft for peer review and the final report, each a frozen
version; comments and their responses; translations; the public read
edition and the PDF."""
