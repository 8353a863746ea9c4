"""The demo catalog and texts that seed.py loads: content, schedules, catalogs, translations.

Plain tables only; seed.py turns them into rows. Days are relative to the seed day
(negative: in the past), so the demo stays current whenever the database is reset.
"""

from __future__ import annotations

TAGS = [
    "Leadership", "Compliance", "Data Science", "Premium Package", "Onboarding", "Security",
    "Communication", "Python", "Cloud", "Sales", "Productivity", "Live Session",
]  # fmt: skip

# slug, kind, title, thumbnail (thumb-<name>.svg), price in cents, difficulty ("" for none),
# created days ago, tags, authors (comma separated)
# fmt: off
CONTENT = [
    ("leading-high-performing-teams", "course", "Leading High-Performing Teams", "leadership", 0,
     "Medium", 640, "Leadership, Communication", "Dana Whitfield"),
    ("coaching-for-managers", "course", "Coaching for Managers", "leadership", 0,
     "Medium", 600, "Leadership", "Dana Whitfield, Marcus Lee"),
    ("giving-feedback", "course", "Giving and Receiving Feedback", "communication", 0,
     "Easy", 580, "Communication, Leadership", "Priya Natarajan"),
    ("delegation-that-works", "course", "Delegation That Works", "leadership", 0,
     "Easy", 420, "Leadership", "Marcus Lee"),
    ("strategic-thinking", "course", "Strategic Thinking for Leaders", "leadership", 0,
     "Hard", 380, "Leadership", "Helena Brandt"),
    ("executive-presence", "course", "Executive Presence", "leadership", 14900,
     "Hard", 150, "Leadership, Premium Package", "Helena Brandt, Dana Whitfield"),
    ("data-privacy-essentials", "course", "Data Privacy Essentials", "compliance", 0,
     "Easy", 700, "Compliance, Security", ""),
    ("respect-in-the-workplace", "course", "Respect in the Workplace", "compliance", 0,
     "Easy", 520, "Compliance", ""),
    ("code-of-conduct", "course", "The Acme Code of Conduct", "compliance", 0,
     "Easy", 710, "Compliance, Onboarding", ""),
    ("anti-bribery", "course", "Anti-Bribery and Corruption", "compliance", 0,
     "Medium", 330, "Compliance", "Rachel Stein"),
    ("security-awareness", "course", "Security Awareness Fundamentals", "security", 0,
     "Easy", 690, "Security, Compliance", "Omar Haddad"),
    ("phishing-defense", "course", "Spotting Phishing Attacks", "security", 0,
     "Easy", 300, "Security", "Omar Haddad"),
    ("secure-coding-python", "course", "Secure Coding in Python", "security", 8900,
     "Hard", 210, "Security, Python", "Omar Haddad, Lin Zhou"),
    ("python-for-data-analysis", "course", "Python for Data Analysis", "data", 4900,
     "Medium", 560, "Python, Data Science", "Lin Zhou"),
    ("intro-to-machine-learning", "course", "Introduction to Machine Learning", "data", 0,
     "Hard", 260, "Data Science, Python", "Lin Zhou, Sofia Alvarez"),
    ("sql-fundamentals", "course", "SQL Fundamentals", "data", 0,
     "Easy", 480, "Data Science", "Sofia Alvarez"),
    ("data-visualization", "course", "Data Visualization Best Practices", "data", 2900,
     "Medium", 400, "Data Science", "Sofia Alvarez"),
    ("statistics-for-analysts", "course", "Statistics for Analysts", "data", 4900,
     "Hard", 120, "Data Science, Premium Package", "Sofia Alvarez"),
    ("cloud-foundations", "course", "Cloud Foundations", "cloud", 0,
     "Easy", 450, "Cloud", "Ben Okafor"),
    ("kubernetes-essentials", "course", "Kubernetes Essentials", "cloud", 0,
     "Medium", 280, "Cloud", "Ben Okafor"),
    ("cicd-pipelines", "course", "CI/CD Pipelines in Practice", "cloud", 0,
     "Medium", 190, "Cloud, Python", "Ben Okafor, Lin Zhou"),
    ("aws-architecture", "course", "Architecting on AWS", "cloud", 25000,
     "Hard", 90, "Cloud, Premium Package", "Ben Okafor"),
    ("business-writing", "course", "Business Writing That Gets Read", "communication", 0,
     "Easy", 540, "Communication", "Priya Natarajan"),
    ("presenting-with-confidence", "course", "Presenting with Confidence", "communication", 0,
     "Medium", 350, "Communication", "Priya Natarajan"),
    ("negotiation-skills", "course", "Negotiation Skills", "sales", 1900,
     "Medium", 320, "Sales, Communication", "Rachel Stein"),
    ("consultative-selling", "course", "Consultative Selling", "sales", 12900,
     "Medium", 170, "Sales, Premium Package", "Rachel Stein"),
    ("sales-forecasting", "course", "Sales Forecasting with Data", "sales", 5900,
     "Hard", 140, "Sales, Data Science", "Rachel Stein, Sofia Alvarez"),
    ("customer-empathy", "course", "Customer Empathy", "sales", 0,
     "Easy", 230, "Sales, Communication", ""),
    ("project-management-basics", "course", "Project Management Basics", "leadership", 0,
     "Easy", 310, "Leadership, Productivity", "Marcus Lee"),
    ("new-hire-orientation", "course", "New Hire Orientation", "onboarding", 0,
     "Easy", 720, "Onboarding", ""),
    ("acme-tools-and-systems", "course", "Acme Tools and Systems", "onboarding", 0,
     "Easy", 660, "Onboarding, Productivity", ""),
    ("mindful-productivity", "course", "Mindful Productivity", "onboarding", 0,
     "Easy", 60, "Productivity", "Grace Kim"),
    ("design-thinking", "course", "Design Thinking Workshop", "communication", 0,
     "Medium", 250, "Productivity, Communication", "Grace Kim"),
    ("agile-fundamentals", "course", "Agile Fundamentals", "leadership", 0,
     "Easy", 200, "Productivity", "Marcus Lee"),
    ("advanced-negotiation-masterclass", "course", "Advanced Negotiation Masterclass", "sales", 0,
     "Hard", 45, "Sales, Live Session", "Rachel Stein"),
    ("data-science-bootcamp-live", "course", "Data Science Bootcamp (Live Cohort)", "data", 0,
     "Hard", 75, "Data Science, Python, Live Session", "Lin Zhou, Sofia Alvarez"),
    ("cloud-architecture-live-cohort", "course", "Cloud Architecture Live Cohort", "cloud", 9900,
     "Hard", 50, "Cloud, Live Session", "Ben Okafor"),
    ("public-speaking-live-workshop", "course", "Public Speaking Live Workshop", "communication", 0,
     "Medium", 100, "Communication, Live Session", "Priya Natarajan"),
    ("compliance-refresher-previous", "course", "Compliance Refresher (Previous Edition)",
     "compliance", 0, "Easy", 730, "Compliance", ""),
    ("excel-macros-legacy", "course", "Excel Macros (Legacy)", "data", 0,
     "Medium", 725, "Productivity", "Sofia Alvarez"),
    ("leadership-essentials", "learningPath", "Leadership Essentials", "leadership", 0,
     "Medium", 500, "Leadership", "Dana Whitfield"),
    ("data-science-foundations", "learningPath", "Data Science Foundations", "data", 0,
     "Medium", 380, "Data Science, Python", "Sofia Alvarez"),
    ("cloud-career-path", "learningPath", "Cloud Career Path", "cloud", 0,
     "Hard", 180, "Cloud", "Ben Okafor"),
    ("webinar-future-of-work", "webinar", "The Future of Hybrid Work", "communication", 0,
     "", 20, "Live Session, Leadership", "Helena Brandt"),
    ("webinar-ai-in-the-workplace", "webinar", "AI in the Workplace", "data", 0,
     "", 14, "Live Session, Data Science", "Lin Zhou"),
    ("webinar-regulatory-update", "webinar", "Quarterly Regulatory Update", "compliance", 0,
     "", 70, "Live Session, Compliance", ""),
    ("article-remote-work-playbook", "article", "The Remote Work Playbook", "communication", 0,
     "Easy", 330, "Communication, Productivity", "Grace Kim"),
    ("article-gdpr-cheat-sheet", "article", "GDPR Cheat Sheet", "compliance", 0,
     "Easy", 610, "Compliance", ""),
    ("article-python-style-guide", "article", "A Practical Python Style Guide", "data", 0,
     "Medium", 270, "Python", "Lin Zhou"),
    ("video-active-listening", "video", "Active Listening in Five Minutes", "communication", 0,
     "Easy", 240, "Communication, Leadership", "Priya Natarajan"),
    ("video-cloud-cost-basics", "video", "Cloud Cost Basics", "cloud", 0,
     "Easy", 160, "Cloud", "Ben Okafor"),
    ("video-phishing-in-60-seconds", "video", "Phishing in 60 Seconds", "security", 0,
     "Easy", 290, "Security", "Omar Haddad"),
    ("leadership-offsite-lisbon", "inPersonEvent", "Leadership Offsite: Lisbon", "leadership",
     19900, "", 40, "Leadership, Live Session", "Helena Brandt, Dana Whitfield"),
    ("sales-kickoff-chicago", "inPersonEvent", "Sales Kickoff: Chicago", "sales", 0,
     "", 110, "Sales, Live Session", "Rachel Stein"),
    ("micro-password-hygiene", "microCourse", "Password Hygiene", "security", 0,
     "Easy", 200, "Security", "Omar Haddad"),
    ("micro-meeting-etiquette", "microCourse", "Meeting Etiquette", "communication", 0,
     "Easy", 130, "Communication, Productivity", ""),
]
# fmt: on

ARCHIVED_CONTENT = {"compliance-refresher-previous", "excel-macros-legacy"}
# Credly-style badges some items award on completion (badge_url), as asset file names.
BADGE_URLS = {"leadership-essentials": "badge-scholar", "aws-architecture": "badge-legend"}

DESCRIPTIONS = {
    "leading-high-performing-teams": "Build trust, set clear goals and run one-to-ones that "
    "actually move your team forward.",
    "coaching-for-managers": "Ask better questions and turn everyday conversations into growth.",
    "giving-feedback": "A simple model for feedback that is specific, kind and acted upon.",
    "delegation-that-works": "Hand off work with the right context, then get out of the way.",
    "strategic-thinking": "Frame problems, weigh trade-offs and connect daily work to strategy.",
    "executive-presence": "Communicate with clarity and calm when the stakes are high.",
    "data-privacy-essentials": "What personal data is, how we protect it and what GDPR expects.",
    "respect-in-the-workplace": "Recognise, prevent and report harassment and discrimination.",
    "code-of-conduct": "How we work at Acme: integrity, conflicts of interest and speaking up.",
    "anti-bribery": "Gifts, hospitality and third parties: where the lines are and why.",
    "security-awareness": "Passwords, devices, social engineering: the habits that keep us safe.",
    "phishing-defense": "Spot the tell-tale signs of phishing and report it in one click.",
    "secure-coding-python": "Injection, secrets, dependencies: write Python that holds up.",
    "python-for-data-analysis": "Load, clean and explore real data sets with pandas.",
    "intro-to-machine-learning": "Regression, classification and how to evaluate a model honestly.",
    "sql-fundamentals": "Select, join and aggregate your way to answers from any database.",
    "data-visualization": "Choose the right chart and remove everything that does not help.",
    "statistics-for-analysts": "Distributions, sampling and A/B tests without the jargon.",
    "cloud-foundations": "Compute, storage and networking concepts behind every cloud.",
    "kubernetes-essentials": "Pods, deployments and services, with hands-on labs.",
    "cicd-pipelines": "Automate tests and releases with a pipeline your team can trust.",
    "aws-architecture": "Design resilient, cost-aware systems on AWS, exam-ready.",
    "business-writing": "Emails and documents that are short, clear and get a reply.",
    "presenting-with-confidence": "Structure a talk, design slides and handle tough questions.",
    "negotiation-skills": "Prepare, anchor and find trades that leave both sides better off.",
    "consultative-selling": "Sell by diagnosing problems, not by pitching features.",
    "sales-forecasting": "Build a forecast your leadership team can plan around.",
    "customer-empathy": "See your product through your customer's eyes.",
    "project-management-basics": "Scope, plan and deliver small projects without the drama.",
    "new-hire-orientation": "Everything you need in your first week at Acme.",
    "acme-tools-and-systems": "A tour of the tools we use every day and how to get access.",
    "mindful-productivity": "A welcome gift: small habits for focus, energy and calm.",
    "design-thinking": "Empathise, define, ideate, prototype and test, in one afternoon.",
    "agile-fundamentals": "Scrum, Kanban and the values behind them.",
    "advanced-negotiation-masterclass": "A live six-week cohort for experienced negotiators.",
    "data-science-bootcamp-live": "Twelve weeks of live sessions, projects and mentoring.",
    "cloud-architecture-live-cohort": "Design real architectures with peers and an instructor.",
    "public-speaking-live-workshop": "A one-day live workshop with recorded practice talks.",
    "compliance-refresher-previous": "Last year's compliance refresher, kept for your records.",
    "excel-macros-legacy": "Automating spreadsheets with VBA macros (retired).",
    "leadership-essentials": "Three courses that cover the core of leading a team.",
    "data-science-foundations": "From SQL to machine learning, one step at a time.",
    "cloud-career-path": "Go from cloud basics to architect-level design.",
    "webinar-future-of-work": "A panel on hybrid teams, rituals and the office of tomorrow.",
    "webinar-ai-in-the-workplace": "Practical, responsible uses of AI assistants at work.",
    "webinar-regulatory-update": "What changed this quarter and what it means for you.",
    "article-remote-work-playbook": "Our playbook for async work, meetings and focus time.",
    "article-gdpr-cheat-sheet": "The one-page summary of GDPR duties for every employee.",
    "article-python-style-guide": "Naming, structure and tooling conventions for our Python.",
    "video-active-listening": "Five minutes on listening to understand, not to reply.",
    "video-cloud-cost-basics": "Where cloud bills come from and how to keep them down.",
    "video-phishing-in-60-seconds": "A one-minute refresher you can share with your team.",
    "leadership-offsite-lisbon": "Three days of workshops and peer coaching for new leaders.",
    "sales-kickoff-chicago": "Our annual sales kickoff: strategy, awards and training.",
    "micro-password-hygiene": "Passphrases, managers and multi-factor in ten minutes.",
    "micro-meeting-etiquette": "Shorter, better meetings with an agenda and clear owners.",
}

# Dated items: slug -> (start day, start hour, end day, end hour, seats limit, waitlist count).
# A waitlist count above zero enables waitlisting; such items are full and start in the future.
SCHEDULE = {
    "webinar-future-of-work": (10, 16, 10, 17, None, 0),
    "webinar-ai-in-the-workplace": (24, 15, 24, 16, None, 0),
    "webinar-regulatory-update": (-30, 14, -30, 15, None, 0),
    "leadership-offsite-lisbon": (60, 8, 62, 17, 20, 6),
    "sales-kickoff-chicago": (-20, 9, -19, 17, 300, 0),
    "advanced-negotiation-masterclass": (21, 15, 63, 17, 30, 14),
    "data-science-bootcamp-live": (35, 14, 119, 17, 25, 22),
    "cloud-architecture-live-cohort": (28, 13, 70, 16, 24, 9),
    "public-speaking-live-workshop": (14, 9, 14, 17, 16, 5),
}

# Each learning path's milestones (MilestoneKind content), in order, with their items in order.
MILESTONES = {
    "leadership-essentials": [
        ("Lead your team", ["leading-high-performing-teams"]),
        ("Grow your people", ["coaching-for-managers", "giving-feedback"]),
    ],
    "data-science-foundations": [
        ("Work with data", ["sql-fundamentals", "python-for-data-analysis"]),
        ("Tell its story", ["data-visualization"]),
        ("Model and predict", ["intro-to-machine-learning"]),
    ],
    "cloud-career-path": [
        ("Cloud basics", ["cloud-foundations", "kubernetes-essentials"]),
        ("Ship it", ["cicd-pipelines"]),
        ("Design at scale", ["aws-architecture"]),
    ],
}  # fmt: skip
# A path's longDescription (its shortDescription is DESCRIPTIONS[slug]).
LONG_DESCRIPTIONS = {
    "leadership-essentials": (
        "Leadership Essentials takes a new manager from running a team to growing the people "
        "in it. Start with the habits of high-performing teams, then learn to coach and to "
        "give feedback that is heard. Complete every course to earn the Learning Path "
        "Certificate."
    ),
    "data-science-foundations": (
        "Data Science Foundations is the route from spreadsheets to models: query data with "
        "SQL, analyse it with Python, tell its story with charts, and finish with your first "
        "machine-learning models. Each milestone builds on the one before."
    ),
    "cloud-career-path": (
        "The Cloud Career Path goes from the concepts behind every cloud to containers, "
        "delivery pipelines and architecture on AWS. The last milestone prepares you for the "
        "AWS Solutions Architect exam."
    ),
}

# What each license offers. The leadership catalog differs from the standard one, so switching
# the active license visibly changes the learner's list.
CATALOGS = {
    "lic-acme-standard": [
        "data-privacy-essentials", "phishing-defense", "sql-fundamentals", "cloud-foundations",
        "kubernetes-essentials", "business-writing", "intro-to-machine-learning",
        "cicd-pipelines", "article-remote-work-playbook", "video-phishing-in-60-seconds",
        "statistics-for-analysts", "secure-coding-python", "aws-architecture",
        "cloud-career-path", "data-science-bootcamp-live",
    ],
    "lic-acme-leadership": [
        "leadership-essentials", "leading-high-performing-teams", "coaching-for-managers",
        "giving-feedback", "delegation-that-works", "strategic-thinking",
        "project-management-basics", "customer-empathy", "video-active-listening",
        "executive-presence", "consultative-selling", "business-writing",
        "data-privacy-essentials", "advanced-negotiation-masterclass",
        "leadership-offsite-lisbon",
    ],
    "lic-globex": [
        "cloud-foundations", "kubernetes-essentials", "cloud-architecture-live-cohort",
        "business-writing", "security-awareness", "negotiation-skills", "customer-empathy",
        "data-visualization", "sql-fundamentals", "sales-forecasting", "video-cloud-cost-basics",
        "article-remote-work-playbook", "webinar-future-of-work", "micro-meeting-etiquette",
    ],
    "lic-acme-join": [
        "new-hire-orientation", "acme-tools-and-systems", "code-of-conduct",
        "security-awareness", "micro-password-hygiene", "micro-meeting-etiquette",
        "webinar-ai-in-the-workplace", "article-python-style-guide", "video-cloud-cost-basics",
        "sales-kickoff-chicago", "public-speaking-live-workshop",
    ],
}  # fmt: skip

GLOBAL_TERMS = """\
Welcome to Acme Learning. By creating an account or using this learning platform you agree \
to these terms. If you use the platform on behalf of your employer, you confirm that you are \
authorised to accept them on its behalf.

Courses, videos, documents and other materials are licensed to you for your personal, \
non-commercial learning only. You may not copy, resell, redistribute or publicly display them \
without written permission from Acme Learning or the content owner.

You are responsible for keeping your sign-in details confidential and for all activity under \
your account. Tell us promptly at privacy@acme.test if you suspect unauthorised use.

Certificates and credits record the completion of the activities described on them. Some \
certificates expire and must be renewed; Acme Learning does not guarantee that a certificate \
will be accepted by a third party.

We process your personal data as described in our Privacy Notice. Purchases and credit \
balances are subject to the pricing shown at checkout and are non-refundable once a course \
has been started. We may update these terms; continued use after an update means you accept \
the updated terms."""

ACME_CSS = """\
@import url("https://fonts.acme.test/brand.css");
.site-header { border-bottom: 3px solid #f2c200; }
.content-card:hover { box-shadow: 0 4px 14px rgba(27, 42, 74, 0.15); }
.btn-primary { border-radius: 999px; font-weight: 600; }
.hero-banner { background: url(javascript:alert(1)); }
.site-footer a { text-decoration: underline; }
"""

GLOBEX_CSS = """\
.site-header { background: #0f172a; color: #e2e8f0; }
.content-card { border: 1px solid #1e293b; border-radius: 2px; }
h1, h2 { letter-spacing: 0.02em; text-transform: uppercase; }
"""

LANGUAGES = [
    ("en", "English", "English"),
    ("fr", "French", "Français"),
    ("de", "German", "Deutsch"),
    ("es", "Spanish", "Español"),
    ("ar", "Arabic", "العربية"),
]

# Translation files, one "key = value" a line (an indented line continues the value above).
# de and es leave some keys out and ar has two present-but-empty values, so translation
# coverage reports have something to find. Arabic plurals have six forms.
LMS = {
    "en": """
nav.dashboard = Dashboard
nav.my-learning = My learning
nav.catalog = Catalog
nav.certificates = Certificates
nav.badges = Badges
nav.sign-out = Sign out
dashboard.welcome = Welcome back, %{name}
dashboard.completed = completed
dashboard.in-progress = In progress
dashboard.not-started = Not started
dashboard.overdue = Overdue
dashboard.due-this-week = Due this week
dashboard.courses-count = %{count} course |||| %{count} courses
dashboard.recent = Continue learning
learning.search = Search your learning
learning.sort = Sort by
learning.empty = Nothing here yet.
learning.due-date = Due %{date}
redemption-code.placeholder = Enter a code
redemption-code.validate = Check code
redemption-code.redeem = Redeem
redemption-code.invalid = This code is not valid.
redemption-code.expired = This code has expired.
redemption-code.already-redeemed = This code can't be redeemed again: you have already redeemed \
it, or it has been used as many times as it allows.
waitlist.leave = Leave waitlist
waitlist.empty = You are not on any waitlists.
waitlist.count = %{count} person waiting |||| %{count} people waiting
certificates.download = Download PDF
certificates.expired = Expired
certificates.expires-on = Expires %{date}
certificates.show-expired = Show expired certificates
badges.earned = Earned
badges.locked = Not earned yet
badges.leaderboard = Leaderboard
badges.your-rank = Your rank: %{rank}
balance.label = Balance: %{amount}
balance.redeem = Use my balance
""",
    "fr": """
nav.dashboard = Tableau de bord
nav.my-learning = Mes formations
nav.catalog = Catalogue
nav.certificates = Certificats
nav.badges = Badges
nav.sign-out = Se déconnecter
dashboard.welcome = Bon retour, %{name}
dashboard.completed = terminé |||| terminés
dashboard.in-progress = En cours
dashboard.not-started = Non commencé
dashboard.overdue = En retard
dashboard.due-this-week = À rendre cette semaine
dashboard.courses-count = %{count} cours |||| %{count} cours
dashboard.recent = Reprendre
learning.search = Rechercher dans vos formations
learning.sort = Trier par
learning.empty = Rien pour le moment.
learning.due-date = À terminer avant le %{date}
redemption-code.placeholder = Saisissez un code
redemption-code.validate = Vérifier le code
redemption-code.redeem = Utiliser
redemption-code.invalid = Ce code n'est pas valide.
redemption-code.expired = Ce code a expiré.
redemption-code.already-redeemed = Ce code ne peut plus être utilisé : vous l'avez déjà utilisé, \
ou il a été utilisé autant de fois qu'il le permet.
waitlist.leave = Quitter la liste d'attente
waitlist.empty = Vous n'êtes sur aucune liste d'attente.
waitlist.count = %{count} personne en attente |||| %{count} personnes en attente
certificates.download = Télécharger le PDF
certificates.expired = Expiré
certificates.expires-on = Expire le %{date}
certificates.show-expired = Afficher les certificats expirés
badges.earned = Obtenu
badges.locked = Pas encore obtenu
badges.leaderboard = Classement
badges.your-rank = Votre rang : %{rank}
balance.label = Solde : %{amount}
balance.redeem = Utiliser mon solde
""",
    "de": """
nav.dashboard = Übersicht
nav.my-learning = Mein Lernen
nav.catalog = Katalog
nav.certificates = Zertifikate
nav.badges = Abzeichen
nav.sign-out = Abmelden
dashboard.welcome = Willkommen zurück, %{name}
dashboard.completed = abgeschlossen
dashboard.in-progress = In Bearbeitung
dashboard.not-started = Nicht begonnen
dashboard.overdue = Überfällig
dashboard.courses-count = %{count} Kurs |||| %{count} Kurse
dashboard.recent = Weiterlernen
learning.search = Lerninhalte durchsuchen
learning.sort = Sortieren nach
learning.due-date = Fällig am %{date}
redemption-code.validate = Code prüfen
redemption-code.redeem = Einlösen
redemption-code.invalid = Dieser Code ist ungültig.
redemption-code.expired = Dieser Code ist abgelaufen.
redemption-code.already-redeemed = Dieser Code kann nicht mehr eingelöst werden: Sie haben ihn \
bereits eingelöst, oder er wurde so oft eingelöst, wie er es erlaubt.
waitlist.leave = Warteliste verlassen
waitlist.empty = Sie stehen auf keiner Warteliste.
waitlist.count = %{count} Person wartet |||| %{count} Personen warten
certificates.download = PDF herunterladen
certificates.expired = Abgelaufen
certificates.expires-on = Läuft am %{date} ab
badges.earned = Erhalten
badges.locked = Noch nicht erhalten
badges.leaderboard = Bestenliste
badges.your-rank = Ihr Rang: %{rank}
balance.label = Guthaben: %{amount}
""",
    "es": """
nav.dashboard = Panel
nav.my-learning = Mi aprendizaje
nav.catalog = Catálogo
nav.certificates = Certificados
nav.badges = Insignias
nav.sign-out = Cerrar sesión
dashboard.welcome = Hola de nuevo, %{name}
dashboard.completed = completado |||| completados
dashboard.in-progress = En curso
dashboard.not-started = Sin empezar
dashboard.overdue = Atrasado
dashboard.due-this-week = Vence esta semana
dashboard.courses-count = %{count} curso |||| %{count} cursos
learning.search = Buscar en su aprendizaje
learning.sort = Ordenar por
learning.empty = Todavía no hay nada aquí.
learning.due-date = Vence el %{date}
redemption-code.placeholder = Introduzca un código
redemption-code.validate = Comprobar código
redemption-code.redeem = Canjear
redemption-code.invalid = Este código no es válido.
redemption-code.already-redeemed = Este código ya no se puede canjear: ya lo ha canjeado usted, o \
se ha canjeado tantas veces como permite.
waitlist.leave = Salir de la lista de espera
waitlist.empty = No está en ninguna lista de espera.
waitlist.count = %{count} persona en espera |||| %{count} personas en espera
certificates.download = Descargar PDF
certificates.expired = Caducado
certificates.expires-on = Caduca el %{date}
certificates.show-expired = Mostrar certificados caducados
badges.earned = Conseguida
badges.locked = Aún no conseguida
badges.leaderboard = Clasificación
balance.label = Saldo: %{amount}
balance.redeem = Usar mi saldo
""",
    "ar": """
nav.dashboard = لوحة التحكم
nav.my-learning = تعلّمي
nav.catalog = الكتالوج
nav.certificates = الشهادات
nav.badges = الشارات
nav.sign-out = تسجيل الخروج
dashboard.welcome = مرحبًا بعودتك، %{name}
dashboard.completed = مكتمل
dashboard.in-progress = قيد التقدم
dashboard.not-started = لم يبدأ
dashboard.overdue = متأخر
dashboard.due-this-week = مستحق هذا الأسبوع
dashboard.courses-count = لا دورات |||| دورة واحدة |||| دورتان
    |||| %{count} دورات |||| %{count} دورة |||| %{count} دورة
dashboard.recent = تابع التعلّم
learning.search = ابحث في تعلّمك
learning.sort = ترتيب حسب
learning.empty =
learning.due-date = مستحق في %{date}
redemption-code.placeholder = أدخل الرمز
redemption-code.validate = تحقق من الرمز
redemption-code.redeem = استبدال
redemption-code.invalid = هذا الرمز غير صالح.
redemption-code.expired = انتهت صلاحية هذا الرمز.
redemption-code.already-redeemed = لا يمكن استبدال هذا الرمز مرة أخرى: إما أنك استبدلته من قبل، \
أو استُخدم بالعدد الأقصى من المرات المسموح به.
waitlist.leave = مغادرة قائمة الانتظار
waitlist.empty =
waitlist.count = %{count} شخص في الانتظار |||| %{count} أشخاص في الانتظار
certificates.download = تنزيل PDF
certificates.expired = منتهية الصلاحية
certificates.expires-on = تنتهي في %{date}
certificates.show-expired = عرض الشهادات المنتهية
badges.earned = مكتسبة
badges.locked = لم تُكتسب بعد
badges.leaderboard = لوحة المتصدرين
badges.your-rank = ترتيبك: %{rank}
balance.label = الرصيد: %{amount}
balance.redeem = استخدم رصيدي
""",
}

EMAILS = {
    "en": """
welcome.subject = Welcome to %{company}
welcome.body = Hi %{name}, your learning account is ready. Sign in to see what is waiting for you.
certificate-earned.subject = You earned a certificate
certificate-earned.body = Congratulations %{name}! Your certificate for %{course} is ready.
due-reminder.subject = Reminder: %{course} is due %{date}
waitlist-seat.subject = A seat opened up in %{course}
""",
    "fr": """
welcome.subject = Bienvenue chez %{company}
welcome.body = Bonjour %{name}, votre compte de formation est prêt.
    Connectez-vous pour découvrir vos formations.
certificate-earned.subject = Vous avez obtenu un certificat
certificate-earned.body = Félicitations %{name} ! Votre certificat pour %{course} est disponible.
due-reminder.subject = Rappel : %{course} est à terminer avant le %{date}
waitlist-seat.subject = Une place s'est libérée dans %{course}
""",
    "de": """
welcome.subject = Willkommen bei %{company}
welcome.body = Hallo %{name}, Ihr Lernkonto ist bereit. Melden Sie sich an, um Ihre Kurse zu sehen.
certificate-earned.subject = Sie haben ein Zertifikat erhalten
certificate-earned.body = Herzlichen Glückwunsch, %{name}! Ihr Zertifikat für %{course} ist fertig.
due-reminder.subject = Erinnerung: %{course} ist am %{date} fällig
waitlist-seat.subject = In %{course} ist ein Platz frei geworden
""",
}


def strings(text: str) -> dict[str, str]:
    """A translation file's "key = value" lines as a dict, in file order."""
    found: dict[str, str] = {}
    key = ""
    for line in text.splitlines():
        if not line.strip():
            continue
        if line[0].isspace():  # continues the previous value
            found[key] = f"{found[key]} {line.strip()}"
        else:
            key, value = (part.strip() for part in line.split("=", 1))
            found[key] = value
    return found
