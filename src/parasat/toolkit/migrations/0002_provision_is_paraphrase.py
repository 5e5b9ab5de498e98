"""Mark the references that are Parasat's own paraphrase, and correct existing
citations in place, so that questionnaires already in use stop showing provision
numbers their instruments do not have (issue 10).

Ten instruments were cited as p1, p2… in the order of Parasat's reference notes;
their own numbering could not be established from the reference material, so
those keys become topic names marked as paraphrase. Three "p1" keys stood for a
whole instrument. The OECD Recommendation on Public Integrity's procedures for
conflicts of interest are 4(c), not 4(b) (codes of conduct)."""

from django.db import migrations, models

RENAMED = {
    "OECD-PIR:p4(b)": "OECD-PIR:p4(c)",
    "OECD-CARTELS:p1": "OECD-CARTELS:prohibition",
    "OECD-CARTELS:p2": "OECD-CARTELS:sanctions",
    "OECD-CARTELS:p3": "OECD-CARTELS:investigative-powers",
    "OECD-CARTELS:p4": "OECD-CARTELS:leniency",
    "OECD-CARTELS:p5": "OECD-CARTELS:international-co-operation",
    "OECD-BIDRIG:p1": "OECD-BIDRIG:tender-design",
    "OECD-BIDRIG:p2": "OECD-BIDRIG:training",
    "OECD-BIDRIG:p3": "OECD-BIDRIG:authority-co-operation",
    "OECD-BIDRIG:p4": "OECD-BIDRIG:sanctions",
    "OECD-COMPASS:p1": "OECD-COMPASS:screening",
    "OECD-COMPASS:p2": "OECD-COMPASS:least-restrictive-alternative",
    "OECD-CN:p1": "OECD-CN:level-playing-field",
    "OECD-CN:p2": "OECD-CN:undue-advantages",
    "OECD-CN:p3": "OECD-CN:procurement",
    "OECD-DEVCORR:p1": "OECD-DEVCORR:code-of-conduct",
    "OECD-DEVCORR:p2": "OECD-DEVCORR:advice",
    "OECD-DEVCORR:p3": "OECD-DEVCORR:training",
    "OECD-DEVCORR:p4": "OECD-DEVCORR:controls-audit-investigation",
    "OECD-DEVCORR:p5": "OECD-DEVCORR:risk-assessment",
    "OECD-DEVCORR:p6": "OECD-DEVCORR:contract-clauses",
    "OECD-DEVCORR:p7": "OECD-DEVCORR:sanctions",
    "OECD-DEVCORR:p8": "OECD-DEVCORR:whistleblowing",
    "OECD-DEVCORR:p9": "OECD-DEVCORR:joint-responses",
    "OECD-DEVCORR:p10": "OECD-DEVCORR:reporting",
    "OECD-COI:p1": "OECD-COI:definition",
    "OECD-COI:p2": "OECD-COI:disclosure",
    "OECD-COI:p3": "OECD-COI:resolution",
    "OECD-COI:p4": "OECD-COI:post-employment",
    "OECD-COI:p5": "OECD-COI:enforcement",
    "STAR-POPI:p1": "STAR-POPI:system-design",
    "STAR-POPI:p2": "STAR-POPI:verification-and-sanctions",
    "G20-WB:p1": "G20-WB:legal-framework",
    "G20-WB:p2": "G20-WB:scope",
    "G20-WB:p3": "G20-WB:confidentiality",
    "G20-WB:p4": "G20-WB:channels",
    "G20-WB:p5": "G20-WB:protection",
    "G20-WB:p6": "G20-WB:remedies",
    "G20-WB:p7": "G20-WB:sanctions",
    "G20-WB:p8": "G20-WB:awareness",
    "G20-WB:p9": "G20-WB:evaluation",
    "OECD-TAXBRIB:p1": "OECD-TAXBRIB:non-deductibility",
    "OECD-TAXBRIB:p2": "OECD-TAXBRIB:information-sharing",
    "OECD-TAXCOOP:p1": "OECD-TAXCOOP:reporting-framework",
    "OECD-TAXCOOP:p2": "OECD-TAXCOOP:guidance-and-training",
    "OCDS:p1": "OCDS:data-publication",
    "OCDS:p2": "OCDS:process-identifier",
    "ISO-37001:p1": "ISO-37001:overall",
    "G20-OECD-CG:p1": "G20-OECD-CG:overall",
    "OECD-SOEACI:p1": "OECD-SOEACI:overall",
}
# Topic keys that were never numbers but are Parasat's summaries all the same.
TOPICS = [
    "OECD-ABR21:non-trial-resolutions",
    "OECD-ABR21:enforcement-data",
    "OECD-ABR21:reporting-protection",
    "OECD-ABR21:public-advantages",
    "OECD-ECB:due-diligence",
    "OECD-ECB:undertakings",
    "OECD-ECB:action-on-bribery",
    "OECD-ECB:law-enforcement",
    "OECD-ECB:scope",
]
PARAPHRASE = [new for new in RENAMED.values() if new != "OECD-PIR:p4(c)"] + TOPICS


def correct_citations(apps, schema_editor):
    Provision = apps.get_model("toolkit", "Provision")
    Cites = apps.get_model("toolkit", "Question").provisions.through
    for old, new in RENAMED.items():
        row = Provision.objects.filter(key=old).first()
        if row is None:
            continue
        target = Provision.objects.filter(key=new).first()
        if target is None:
            row.key, row.ref = new, new.split(":", 1)[1]
            row.save(update_fields=["key", "ref"])
            continue
        # Both exist (the bank was loaded in between): the citations move over.
        for question_id in Cites.objects.filter(provision=row).values_list("question_id", flat=True):
            Cites.objects.get_or_create(question_id=question_id, provision=target)
        row.delete()
    Provision.objects.filter(key__in=PARAPHRASE).update(is_paraphrase=True)


class Migration(migrations.Migration):
    dependencies = [
        ("toolkit", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="provision",
            name="is_paraphrase",
            field=models.BooleanField(
                default=False,
                help_text="The reference is not a number of the instrument: the text is Parasat's summary of a passage, shown as such.",
                verbose_name="Parasat's own paraphrase",
            ),
        ),
        migrations.RunPython(correct_citations, migrations.RunPython.noop),
    ]
