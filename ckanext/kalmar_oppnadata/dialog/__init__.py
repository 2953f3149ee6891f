"""Dialog with users (DIGG's principle 7): "Fråga eller rapportera fel" on every public dataset.

``store`` keeps the questions (table ``kalmar_oppnadata_question``, migration/); ``actions`` are the API
(``question_create`` for anyone, ``question_list`` and ``question_answer`` for the dataset's editors);
``guard`` is the spam and abuse defence (honeypot, rate limits, length limits); ``mails`` tells the
dataset's contact point and, once answered, the asker; ``views`` are the pages. An asker's e-mail address
is used only to send them mail: no page, API answer, catalog or export ever shows it.
"""
