"""The survey answers' index extended from (survey, question) to (survey,
question, response): a survey's results count respondents per question and,
for a breakdown, read each question's answers in the order of their
respondents, from the index rather than the table and without sorting."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('engagement', '0006_response_reason_translated'),
        ('toolkit', '0003_questionnaire_manage_toolkit_permission'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='surveyanswer',
            name='survey_answer_question_idx',
        ),
        migrations.AddIndex(
            model_name='surveyanswer',
            index=models.Index(fields=['survey', 'question', 'response'], name='survey_answer_results_idx'),
        ),
    ]
