"""The sandbox's demo data: the company "Acme Learning", its catalog, learners and their progress.

`load_demo_data` fills a freshly created schema (store.DDL). Every date is relative to the seed
day (midnight UTC), so "overdue", "due this week" and "expires within 30 days" stay true
whenever the database is reset; given the same `now`, the rows are identical byte for byte.
The catalog's tables and texts live in seed_content.py; the people and their activity are here.
"""

from __future__ import annotations

import hashlib
import json
import math
import sqlite3
import unicodedata
import uuid
from datetime import UTC, datetime, timedelta
from functools import cache

from werkzeug.security import SALT_CHARS

from . import seed_content as catalog
from . import seed_progress as progress_seed
from .dates import iso
from .progress import refresh_path_statuses

NAMESPACE = uuid.UUID("6f1c2a52-5b0e-4d7a-9a51-0c7e3b8d2f10")
ASSETS = "/sandbox/assets/"

LEARNER_ID, LEARNER2_ID, ADMIN_ID = "user-learner", "user-learner2", "user-admin"
WELCOME_COURSE_SLUG = "mindful-productivity"  # granted by WELCOME-2026, in no learner catalog

DEMO_ACCOUNTS = [
    ("learner@acme.test", "learner", "Jamie Rivera, learner with a full dashboard and 2 licenses"),
    ("learner2@acme.test", "learner2", "Camille Martin, French-speaking Globex learner"),
    ("admin@acme.test", "admin", "Alex Morgan, administrator"),
]
DEMO_CODES = [
    ("WELCOME-2026", "redemption code: adds the course Mindful Productivity"),
    ("TEAM-2026", "redemption code: adds Design Thinking Workshop and Agile Fundamentals"),
    ("ACME-JOIN", "registration code: Acme Community license and 2 onboarding courses"),
    ("EXPIRED-2024", "redemption code that has expired"),
    ("REDEEMED-0001", "single-use redemption code, already used up"),
]

_CODES = [  # code, kind, expires (days from the seed day), max redemptions, content, license
    ("WELCOME-2026", "redemption", None, None, [WELCOME_COURSE_SLUG], None),
    ("TEAM-2026", "redemption", 180, None, ["design-thinking", "agile-fundamentals"], None),
    ("EXPIRED-2024", "redemption", -300, None, ["design-thinking"], None),
    ("REDEEMED-0001", "redemption", None, 1, ["sales-forecasting"], None),
    (
        "ACME-JOIN", "registration", None, None,
        ["new-hire-orientation", "acme-tools-and-systems"], "lic-acme-join",
    ),
]  # fmt: skip
_CODE_ONLY = {"mindful-productivity", "design-thinking", "agile-fundamentals", "sales-forecasting"}

_LICENSES = [  # id, name, client, is default
    ("lic-acme-standard", "Acme Standard", "client-acme", 1),
    ("lic-acme-leadership", "Leadership Program", "client-acme", 0),
    ("lic-globex", "Globex Learner", "client-globex", 0),
    ("lic-acme-join", "Acme Community", "client-acme", 0),
]

# id, email, password, first, last, role, lang, currency, client, balance, active license,
# created (days ago), bio, refs, custom fields
_PEOPLE = [
    (
        LEARNER_ID, "learner@acme.test", "learner", "Jamie", "Rivera", "learner", "en", "USD",
        "client-acme", 120.0, "lic-acme-standard", 480,
        "Operations analyst in Austin, learning data science one course at a time.",
        {"ref1": "EMP-10482", "ref2": "Operations"},
        {"department": "Operations", "location": "Austin, TX"},
    ),
    (
        LEARNER2_ID, "learner2@acme.test", "learner2", "Camille", "Martin", "learner", "fr",
        "EUR", "client-globex", 40.0, "lic-globex", 150,
        "Responsable grands comptes chez Globex, basée à Lyon.",
        {"ref1": "GLX-2231"}, {"department": "Sales", "location": "Lyon"},
    ),
    (
        ADMIN_ID, "admin@acme.test", "admin", "Alex", "Morgan", "admin", "en", "USD",
        "client-acme", 0.0, "lic-acme-standard", 700,
        "Runs the Acme Learning academy.", {"ref1": "EMP-10001"},
        {"department": "People & Learning"},
    ),
    (
        "user-taken", "taken@acme.test", None, "Taylor", "Reed", "learner", "en", "USD",
        "client-acme", 0.0, "lic-acme-standard", 30, None, {}, {},
    ),
]  # fmt: skip
_ALLOCATIONS = [  # user, license, role (AllocatedLicenseRole: student | manager)
    (LEARNER_ID, "lic-acme-standard", "student"),
    (LEARNER_ID, "lic-acme-leadership", "student"),
    (LEARNER2_ID, "lic-globex", "student"),
    (ADMIN_ID, "lic-acme-standard", "manager"),
    ("user-taken", "lic-acme-standard", "student"),
]

# The leaderboard: first, last, Points total. 13 are ahead of the learner's 185 (so Jamie
# ranks 14th with competition ranking), two tie at 395 inside the top ten, and every 7th
# (index 6, 13, ...) is a Globex learner.
# fmt: off
_LEADERBOARD = [
    ("Priya", "Shah", 640), ("Marcus", "Chen", 585), ("Elena", "Petrova", 520),
    ("David", "Mensah", 470), ("Sofia", "Rossi", 430), ("Liam", "O'Connor", 395),
    ("Aiko", "Tanaka", 395), ("Noah", "Fischer", 360), ("Fatima", "Zahra", 330),
    ("Lucas", "Moreau", 300), ("Hannah", "Berg", 275), ("Mateo", "García", 240),
    ("Grace", "Liu", 210), ("Oliver", "Novak", 180), ("Amara", "Nwosu", 175),
    ("Ethan", "Brooks", 165), ("Chloé", "Lambert", 150), ("Ravi", "Kapoor", 140),
    ("Isabel", "Santos", 135), ("Jonas", "Lindqvist", 120), ("Mia", "Kowalski", 110),
    ("Samuel", "Adeyemi", 105), ("Yuki", "Sato", 95), ("Leah", "Goldberg", 90),
    ("Omar", "Farouk", 85), ("Zoe", "Papadopoulos", 80), ("Daniel", "Kim", 75),
    ("Nora", "Haddad", 70), ("Arjun", "Mehta", 65), ("Clara", "Weber", 60),
    ("Kofi", "Boateng", 55), ("Emma", "Larsen", 50), ("Hugo", "Martins", 45),
    ("Ines", "Carvalho", 45), ("Felix", "Wagner", 40), ("Layla", "Hassan", 35),
    ("Ben", "Carter", 30), ("Sara", "Nilsson", 30), ("Victor", "Dubois", 25),
    ("Ana", "Popescu", 25), ("Kai", "Yamamoto", 20), ("Maya", "Patel", 20),
    ("Leon", "Schulz", 15), ("Julia", "Costa", 15), ("Adam", "Nowak", 15),
    ("Eva", "Horvat", 10), ("Theo", "Martin", 10), ("Lina", "Said", 10),
    ("Ivan", "Petrov", 5), ("Rosa", "Jimenez", 5), ("Sam", "Taylor", 5),
    ("Alice", "Dupont", 5), ("Max", "Keller", 5), ("Nina", "Ivanova", 5),
    ("Paul", "Andersen", 5), ("Ella", "Wright", 5),
]

# The demo users' own progress.
# slug, status, source, due (day), last viewed (days ago), completed (days ago), enrolled (days
# ago), percent complete, minutes spent, views. A learning path's progress is its items' (None
# here; progress.refresh_path_statuses computes it and the seed checks the status it declares).
# A not-started item may have a last view: its overview page, not its content.
_ENROLLMENTS = {
    LEARNER_ID: [
        ("leading-high-performing-teams", "completed", "assigned", None, 198, 200, 260, 100, 185,
         14),
        ("coaching-for-managers", "completed", "assigned", None, 149, 150, 255, 100, 140, 9),
        ("giving-feedback", "completed", "license", None, 61, 62, 250, 100, 75, 6),
        ("leadership-essentials", "completed", "assigned", None, 59, 60, 262, None, None, None),
        ("data-privacy-essentials", "completed", "license", None, 390, 400, 430, 100, 50, 4),
        ("security-awareness", "completed", "assigned", None, 340, 345, 360, 100, 65, 5),
        ("code-of-conduct", "completed", "assigned", -425, 420, 428, 450, 100, 40, 3),
        ("python-for-data-analysis", "completed", "purchased", None, 88, 90, 140, 100, 420, 31),
        ("delegation-that-works", "started", "assigned", 5, 1, None, 40, 62, 48, 7),
        ("strategic-thinking", "started", "assigned", -3, 9, None, 60, 35, 70, 6),
        ("respect-in-the-workplace", "started", "assigned", -10, 20, None, 45, 92, 41, 5),
        ("anti-bribery", "started", "assigned", 2, 0, None, 30, 5, 4, 1),
        ("phishing-defense", "started", "assigned", 6, 2, None, 30, 3, 2, 1),
        ("sql-fundamentals", "started", "license", None, 3, None, 90, 48, 95, 11),
        ("data-visualization", "started", "purchased", None, 4, None, 100, 96, 130, 16),
        ("cloud-foundations", "started", "license", None, 6, None, 120, 55, 88, 9),
        ("kubernetes-essentials", "started", "license", None, 12, None, 80, 8, 19, 2),
        ("business-writing", "started", "license", None, 15, None, 150, 71, 64, 8),
        ("presenting-with-confidence", "started", "assigned", 21, 7, None, 50, 20, 30, 3),
        ("data-science-foundations", "started", "assigned", 45, 5, None, 70, None, None, None),
        ("negotiation-skills", "notStarted", "purchased", None, 25, None, 26, 0, 0, 0),
        ("intro-to-machine-learning", "notStarted", "license", None, 30, None, 35, 0, 0, 0),
        ("cicd-pipelines", "notStarted", "license", None, 33, None, 40, 0, 0, 0),
        ("project-management-basics", "notStarted", "license", None, 40, None, 45, 0, 0, 0),
        ("customer-empathy", "notStarted", "license", None, 45, None, 50, 0, 0, 0),
        ("webinar-future-of-work", "notStarted", "assigned", None, 8, None, 10, 0, 0, 0),
        ("webinar-regulatory-update", "notStarted", "assigned", None, 35, None, 60, 0, 0, 0),
        ("article-remote-work-playbook", "notStarted", "license", None, 55, None, 60, 0, 0, 0),
        ("article-gdpr-cheat-sheet", "notStarted", "assigned", 30, None, None, 30, 0, 0, 0),
        ("video-active-listening", "notStarted", "license", None, None, None, 20, 0, 0, 0),
        ("video-phishing-in-60-seconds", "notStarted", "license", None, None, None, 20, 0, 0, 0),
        ("micro-password-hygiene", "notStarted", "assigned", 60, None, None, 15, 0, 0, 0),
    ],
    LEARNER2_ID: [
        ("business-writing", "completed", "license", None, 49, 50, 80, 100, 92, 8),
        ("security-awareness", "completed", "license", None, 99, 100, 120, 100, 58, 4),
        ("cloud-foundations", "started", "license", None, 3, None, 30, 6, 11, 2),
        ("negotiation-skills", "started", "purchased", None, 6, None, 40, 51, 66, 7),
        ("sql-fundamentals", "started", "license", 12, 1, None, 25, 94, 110, 12),
        ("kubernetes-essentials", "notStarted", "license", None, None, None, 30, 0, 0, 0),
        ("webinar-future-of-work", "notStarted", "license", None, None, None, 5, 0, 0, 0),
    ],
    ADMIN_ID: [
        ("code-of-conduct", "completed", "assigned", None, 299, 300, 320, 100, 35, 2),
        ("data-privacy-essentials", "completed", "license", None, 199, 200, 210, 100, 45, 3),
    ],
}
# fmt: on

# slug -> (Points, CPE credits) per user; every completion also earns 1 Course Completion.
_AWARDS = {
    LEARNER_ID: {
        "leading-high-performing-teams": (25, 2.0),
        "coaching-for-managers": (20, 1.5),
        "giving-feedback": (15, 1.0),
        "leadership-essentials": (50, 3.0),
        "data-privacy-essentials": (10, 1.5),
        "security-awareness": (15, 1.0),
        "code-of-conduct": (10, 0),
        "python-for-data-analysis": (40, 4.0),
    },
    LEARNER2_ID: {"business-writing": (15, 1.0), "security-awareness": (15, 0)},
    ADMIN_ID: {"code-of-conduct": (10, 0), "data-privacy-essentials": (10, 0)},
}

_AWARD_TYPES = [  # id, label, plural, icon, on dashboard, deleted, ranks the leaderboard
    ("at-points", "Points", "Points", "star", 1, 0, 1),
    ("at-cpe", "CPE Credit", "CPE Credits", "checkfile", 1, 0, 0),
    ("at-completion", "Course Completion", "Course Completions", "check", 1, 0, 0),
    ("at-legacy", "Legacy Credit", "Legacy Credits", "flag", 0, 1, 0),
]
_BADGES = [  # id (and asset file), label, threshold, award type
    ("badge-first-steps", "First Steps", 10, "at-points"),
    ("badge-rising-star", "Rising Star", 25, "at-points"),
    ("badge-achiever", "Achiever", 50, "at-points"),
    ("badge-centurion", "Centurion", 100, "at-points"),
    ("badge-scholar", "Scholar", 250, "at-points"),
    ("badge-legend", "Legend", 500, "at-points"),
    ("badge-cpe-starter", "CPE Starter", 5, "at-cpe"),
    ("badge-cpe-professional", "CPE Professional", 20, "at-cpe"),
]

_TEMPLATES = [  # id, title, expiration days, resource type
    ("tpl-annual", "Annual Compliance Certificate", 365, "course"),
    ("tpl-professional", "Professional Development Certificate", 730, "course"),
    ("tpl-path", "Learning Path Certificate", None, "learningPath"),
]
# user, slug, template, has a PDF; issued when the enrollment was completed
_CERTIFICATES = [
    (LEARNER_ID, "leadership-essentials", "tpl-path", True),
    (LEARNER_ID, "leading-high-performing-teams", "tpl-professional", True),
    (LEARNER_ID, "coaching-for-managers", "tpl-professional", False),
    (LEARNER_ID, "python-for-data-analysis", "tpl-professional", True),
    (LEARNER_ID, "security-awareness", "tpl-annual", True),  # expires in 20 days
    (LEARNER_ID, "data-privacy-essentials", "tpl-annual", False),  # expired 35 days ago
    (LEARNER_ID, "code-of-conduct", "tpl-annual", True),  # expired 63 days ago
    (LEARNER2_ID, "business-writing", "tpl-professional", True),
    (LEARNER2_ID, "security-awareness", "tpl-annual", False),
]
# fmt: off
_CERTIFICATE_FIELDS = [  # id, type, label, transcript, external, text, date format, award type
    ("cf-learner-name", "nameLabel", "Learner Name", 1, 1, None, None, None),
    ("cf-course", "courseLabel", "Course", 1, 1, None, None, None),
    ("cf-completion-date", "contentCompletionDate", "Completion Date", 1, 1, None, "usLong", None),
    ("cf-expiration-date", "expirationDateLabel", "Expires", 1, 0, None, "euroShort", None),
    ("cf-cpe-credits", "awardLabel", "CPE Credits", 1, 0, None, None, "at-cpe"),
    ("cf-identifier", "identifier", "Certificate ID", 1, 1, None, None, None),
    ("cf-issuer", "textLabel", "Issuer", 0, 0, "Issued by Acme Learning", None, None),
    ("cf-issued-on", "dateLabel", "Issued On", 0, 1, None, "iso8601", None),
]
# fmt: on

_ARCHIVES = [  # slug, archived (days ago), status, reinstatable, waitlist active
    ("compliance-refresher-previous", 300, "expired", 0, 0),
    ("excel-macros-legacy", 200, "archived", 1, 0),
    ("public-speaking-live-workshop", 12, "archived", 1, 1),
    ("sales-kickoff-chicago", 15, "expired", 0, 0),
]
_COLLABORATIONS = [
    ("leading-high-performing-teams", 7),
    ("coaching-for-managers", 3),
    ("business-writing", 1),
    ("sql-fundamentals", 12),
]
_WAITLISTS = {  # slug -> who waits: demo users and leaderboard indexes (waitlist_count >= them)
    "advanced-negotiation-masterclass": [LEARNER_ID, 1, 4, 9],
    "leadership-offsite-lisbon": [LEARNER_ID, 0, 2],
    "data-science-bootcamp-live": [LEARNER_ID, 3, 5, 8, 11],
    "cloud-architecture-live-cohort": [LEARNER2_ID, 13, 27],
    "public-speaking-live-workshop": [15, 22],
}
_REDEMPTIONS = [  # code, leaderboard index, days ago (their enrollment comes with it)
    ("REDEEMED-0001", 10, 45),
    ("WELCOME-2026", 16, 20),
    ("WELCOME-2026", 30, 5),
]


def content_id(slug: str) -> str:
    """The UUID of the content item with this slug (stable across resets)."""
    return str(uuid.uuid5(NAMESPACE, f"content:{slug}"))


def _uid(kind: str, name: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{name}"))


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in ascii_text.lower() if c.isalnum() or c == " ").replace(" ", "-")


def _identifier(name: str) -> str:
    """A certificate identifier like CERT-7F3K9Q2M, derived from the certificate's id."""
    digest = hashlib.sha256(name.encode()).digest()
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "CERT-" + "".join(alphabet[b % len(alphabet)] for b in digest[:8])


@cache
def _password_hash(email: str, password: str) -> str:
    """What werkzeug's generate_password_hash writes (scrypt:32768:8:1$salt$hash), but with a
    salt derived from the email: check_password_hash accepts it and the reset stays
    deterministic (generate_password_hash draws a random salt). Cached: scrypt is slow."""
    digest = hashlib.sha256(f"atrium-sandbox:{email}".encode()).digest()
    salt = "".join(SALT_CHARS[b % len(SALT_CHARS)] for b in digest[:16])
    n, r, p = 2**15, 8, 1
    key = hashlib.scrypt(
        password.encode(), salt=salt.encode(), n=n, r=r, p=p, maxmem=132 * n * r * p
    )
    return f"scrypt:{n}:{r}:{p}${salt}${key.hex()}"


def _insert(conn: sqlite3.Connection, table: str, columns: str, rows) -> None:
    marks = ", ".join("?" for _ in columns.split(","))
    conn.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(rows))


class _Clock:
    """Moments relative to the seed day, midnight UTC: `at(-3, 17)` is 17:00 three days ago."""

    def __init__(self, today: datetime):
        self.today = today

    def dt(self, days: float, hours: float = 0) -> datetime:
        return self.today + timedelta(days=days, hours=hours)

    def __call__(self, days: float | None, hours: float = 0) -> str | None:
        return None if days is None else iso(self.dt(days, hours))

    def ago(self, days: float | None, hours: float = 0) -> str | None:
        """`at.ago(3, 17)` is 17:00 three days ago; None stays None."""
        return None if days is None else iso(self.dt(-days, hours))


def load_demo_data(conn: sqlite3.Connection, now: datetime | None = None) -> None:
    """Insert the demo company into a freshly created schema, inside the caller's transaction."""
    now = now or datetime.now(UTC)
    now = (now if now.tzinfo else now.replace(tzinfo=UTC)).astimezone(UTC)
    at = _Clock(now.replace(hour=0, minute=0, second=0, microsecond=0))
    _company(conn)
    _catalog(conn, at)
    leaders = _users(conn, at)
    done = _activity(conn, at, leaders)
    _certificates(conn, at, done)
    _texts(conn)
    _codes(conn, at, leaders)
    conn.execute(
        "UPDATE content SET enrollment_count = CASE WHEN waitlisting_enabled = 1 THEN seats_limit"
        " ELSE (SELECT COUNT(*) FROM enrollments e WHERE e.content_id = content.id) END"
    )
    conn.execute("INSERT INTO meta (key, value) VALUES ('seeded_at', ?)", (iso(now),))


def _company(conn: sqlite3.Connection) -> None:
    _insert(
        conn, "company", "id, name, subdomain, global_terms, default_lang",
        [("company-acme", "Acme Learning", "acme", catalog.GLOBAL_TERMS, "en")],
    )  # fmt: skip
    _insert(
        conn, "clients", "id, name, slug",
        [("client-acme", "Acme Learning", "acme"), ("client-globex", "Globex", "globex")],
    )  # fmt: skip
    acme_nav = [
        {"label": "Home", "href": "/"},
        {"label": "Catalog", "href": "/catalog"},
        {"label": "Help Center", "href": "https://help.acme.test"},
    ]
    globex_nav = [
        {"label": "Globex Home", "href": "/"},
        {"label": "Courses", "href": "/catalog"},
        {"label": "Support", "href": "https://support.globex.test"},
    ]
    _insert(
        conn,
        "appearance",
        "id, client_id, logo_asset, retina_logo, favicon, accent_color, secondary_color,"
        " link_color, font, alt_font, background_asset, background_asset_tiled, custom_css,"
        " nav_links",
        [
            (
                "appearance-acme", None, f"{ASSETS}acme-logo.svg", 1, f"{ASSETS}favicon.svg",
                "#F2C200", "#1B2A4A", "#0B6BCB", "Inter", "Merriweather",
                f"{ASSETS}acme-pattern.svg", 1, catalog.ACME_CSS, _json(acme_nav),
            ),
            (
                "appearance-globex", "client-globex", f"{ASSETS}globex-logo.svg", 0,
                f"{ASSETS}globex-favicon.svg", "#00B3A4", "#0F172A", "#38BDF8", "Source Sans 3",
                "Playfair Display", f"{ASSETS}globex-backdrop.svg", 0, catalog.GLOBEX_CSS,
                _json(globex_nav),
            ),
        ],
    )  # fmt: skip
    _insert(conn, "licenses", "id, name, client_id, is_default", _LICENSES)


def _catalog(conn: sqlite3.Connection, at: _Clock) -> None:
    _insert(conn, "tags", "id, label", [(f"tag-{_slug(t)}", t) for t in catalog.TAGS])
    rows, tags = [], []
    for slug, kind, title, thumb, price, difficulty, age, tag_list, authors in catalog.CONTENT:
        start_day, start_hour, end_day, end_hour, seats, waiting = catalog.SCHEDULE.get(
            slug, (None, 0, None, 0, None, 0)
        )
        archived = slug in catalog.ARCHIVED_CONTENT
        badge = catalog.BADGE_URLS.get(slug)
        publish = at(-age + 2, 9)
        rows.append((
            content_id(slug), slug, title, kind, "archived" if archived else "published",
            catalog.DESCRIPTIONS[slug], catalog.LONG_DESCRIPTIONS.get(slug),
            f"{ASSETS}thumb-{thumb}.svg",
            f"Cover illustration for {title}", price,
            _json([a.strip() for a in authors.split(",") if a.strip()]),
            _json({"difficulty": difficulty} if difficulty else {}),
            "unavailable" if archived else "available", 0 if archived else 1, f"/learn/{slug}",
            badge and f"{ASSETS}{badge}.svg", at(start_day, start_hour), at(end_day, end_hour),
            publish if start_day is not None else None,
            at(start_day - 1, 23) if start_day is not None else None,
            1 if waiting else 0, seats, waiting,
            at(-age, 9), at(-(age // 4), 10), publish, publish,
        ))  # fmt: skip
        tags += [(content_id(slug), f"tag-{_slug(t.strip())}") for t in tag_list.split(",")]
    _insert(
        conn,
        "content",
        "id, slug, title, kind, status, description, long_description, asset, asset_alt_text,"
        " price_in_cents,"
        " authors, custom_fields, availability_status, is_active, url, badge_url,"
        " course_start_date, course_end_date, enrollment_start_date, enrollment_end_date,"
        " waitlisting_enabled,"
        " seats_limit, waitlist_count, created_at, updated_at, publish_date, display_date",
        rows,
    )
    _insert(conn, "content_tags", "content_id, tag_id", tags)
    milestones, path_items = progress_seed.milestone_rows(catalog.MILESTONES, content_id, _uid)
    _insert(conn, "milestones", "id, path_id, position, name, requirement", milestones)
    _insert(conn, "path_items", "path_id, item_id, position, milestone_id", path_items)
    _insert(
        conn,
        "completion_criteria",
        "id, content_id, position, type, required",
        progress_seed.criteria_rows(catalog.CONTENT, catalog.SCHEDULE, content_id, _uid),
    )
    _insert(
        conn,
        "license_content",
        "license_id, content_id",
        [(lic, content_id(s)) for lic, slugs in catalog.CATALOGS.items() for s in slugs],
    )


def _users(conn: sqlite3.Connection, at: _Clock) -> list[tuple]:
    """The demo accounts and the leaderboard's learners; returns the latter as
    (user id, index, Points total, license)."""
    rows = []
    for uid, email, password, *profile, age, bio, refs, custom in _PEOPLE:
        password_hash = _password_hash(email, password) if password else None
        rows.append((
            uid, email, password_hash, *profile, bio, _json(refs), _json(custom),
            at.ago(age, 9), at.ago(2, 8),
        ))  # fmt: skip
    leaders, allocations = [], list(_ALLOCATIONS)
    for index, (first, last, points) in enumerate(_LEADERBOARD):
        globex = index % 7 == 6
        email = f"{_slug(first)}.{_slug(last)}@{'globex' if globex else 'acme'}.test"
        uid = _uid("user", email)
        lic = "lic-globex" if globex else "lic-acme-standard"
        lang = ("en", "en", "fr", "en", "de", "es")[index % 6]
        refs = {"ref1": f"EMP-{11000 + index * 37}"} if index % 9 == 0 else {}
        rows.append((
            uid, email, None, first, last, "learner", lang, "EUR" if globex else "USD",
            "client-globex" if globex else "client-acme", 0.0, lic, None, _json(refs), "{}",
            at.ago(760 + index, 9), at.ago(10 + index % 30, 9),
        ))  # fmt: skip
        allocations.append((uid, lic, "student"))
        leaders.append((uid, index, points, lic))
    _insert(
        conn,
        "users",
        "id, email, password_hash, first_name, last_name, role_key, lang, preferred_currency,"
        " client_id, balance, active_license_id, bio, refs, custom_fields, created_at, updated_at",
        rows,
    )
    _insert(conn, "user_licenses", "user_id, license_id, role", allocations)
    return leaders


def _activity(conn: sqlite3.Connection, at: _Clock, leaders: list[tuple]) -> dict:
    """Enrollments, awards and the badges they earn, waitlists, archives and the rest.
    Returns when each (user, slug) was completed, for the certificates."""
    enrollments, awards, done, paths = [], [], {}, {}
    for user, table in _ENROLLMENTS.items():
        for n, (slug, status, source, due, viewed, completed, enrolled, *how_far) in enumerate(
            table
        ):
            if completed is not None:
                done[user, slug] = at.dt(-completed, 11 + n % 5)
            percent, minutes, views = how_far
            if percent is None:  # a learning path: refresh_path_statuses fills it in below
                paths[user, content_id(slug)] = (slug, status)
                status, percent, minutes, views = "notStarted", 0, 0, 0
            enrollments.append((
                user, content_id(slug), status, source, at(due, 17),
                at.ago(viewed, -(1 + n % 9)), at.ago(completed, 11 + n % 5),
                at.ago(enrolled, 8 + n % 4), percent, _seconds(minutes, n), views,
            ))  # fmt: skip
        for slug, (points, cpe) in _AWARDS[user].items():
            awards += _completion_awards(user, slug, points, cpe, done[user, slug])
    # An award of a since-deleted award type, which every total must leave out.
    conduct = done[LEARNER_ID, "code-of-conduct"]
    awards.append((LEARNER_ID, "at-legacy", "code-of-conduct", 2.0, conduct))

    pool = [  # (slug, created days ago) of what the leaderboard's learners have completed
        (slug, age) for slug, kind, _title, _thumb, _price, _level, age, *_ in catalog.CONTENT
        if kind in ("course", "microCourse") and slug not in catalog.SCHEDULE
        and slug not in catalog.ARCHIVED_CONTENT and slug not in _CODE_ONLY
    ]  # fmt: skip
    for uid, index, total, _lic in leaders:
        count = max(1, math.ceil(total / 50))
        for j in range(count):
            slug, age = pool[(index * 5 + j) % len(pool)]
            days_ago = 5 + (index * 37 + j * 53) % (age - 45)  # enrolled after its creation
            finished = at.dt(-days_ago, 8 + (index + j) % 10)
            minutes, views = 25 + (index * 37 + j * 53) % 160, 2 + (index + j) % 9
            enrollments.append((
                uid, content_id(slug), "completed", "assigned", None, iso(finished),
                iso(finished), at.ago(days_ago + 10 + (j * 7) % 30, 9), 100,
                _seconds(minutes, index + j), views,
            ))  # fmt: skip
            points = total // count + (1 if j < total % count else 0)  # sums to the total
            cpe = 2.0 if index % 3 == 0 else 0
            awards += _completion_awards(uid, slug, points, cpe, finished)
    _insert(
        conn,
        "enrollments",
        "user_id, content_id, status, source, due_date, last_viewed_at, completed_at, enrolled_at,"
        " percent_complete, total_time, total_views",
        enrollments,
    )
    _check_path_statuses(conn, paths)
    _insert(
        conn,
        "criterion_progress",
        "user_id, criterion_id, completed",
        progress_seed.criterion_progress_rows(
            conn.execute("SELECT * FROM completion_criteria").fetchall(),
            [{"user": e[0], "content": e[1], "status": e[2], "percent": e[8]} for e in enrollments],
        ),
    )
    _insert(
        conn,
        "award_types",
        "id, label, plural_label, icon, include_on_dashboard, deleted, ranks_leaderboard",
        _AWARD_TYPES,
    )
    _insert(
        conn,
        "awards",
        "user_id, award_type_id, resource_id, amount",
        [(user, kind, content_id(slug), amount) for user, kind, slug, amount, _ in awards],
    )
    _insert(
        conn,
        "badges",
        "id, label, asset, award_threshold, award_type_id",
        [(badge, label, f"{ASSETS}{badge}.svg", bar, kind) for badge, label, bar, kind in _BADGES],
    )
    _insert(conn, "earned_badges", "id, user_id, badge_id, earned_at", _earned_badges(awards))

    by_index = {index: uid for uid, index, _total, _lic in leaders}
    _insert(
        conn,
        "waitlist",
        "user_id, content_id, joined_at",
        [
            (by_index.get(who, who), content_id(slug), at.ago(3 + n * 4, 10 + n))
            for slug, people in _WAITLISTS.items()
            for n, who in enumerate(people)
        ],
    )
    _insert(
        conn,
        "archives",
        "id, user_id, content_id, archived_at, status, reinstatable, waitlist_active",
        [
            (_uid("archive", f"{LEARNER_ID}:{slug}"), LEARNER_ID, content_id(slug),
             at.ago(days, 15), status, reinstatable, waitlist)
            for slug, days, status, reinstatable, waitlist in _ARCHIVES
        ],
    )  # fmt: skip
    _insert(
        conn,
        "bookmark_folders",
        "id, user_id, name",
        [
            (_uid("folder", f"{LEARNER_ID}:{name}"), LEARNER_ID, name)
            for name in ("Watch later", "Share with my team")
        ],
    )
    _insert(
        conn,
        "collaborations",
        "user_id, content_id, count",
        [(LEARNER_ID, content_id(slug), count) for slug, count in _COLLABORATIONS],
    )
    return done


def _seconds(minutes: int, n: int) -> int:
    """Time spent, in seconds: the minutes of the tables plus a few seconds, as clocks count."""
    return minutes * 60 + (n * 37) % 60 if minutes else 0


def _check_path_statuses(conn: sqlite3.Connection, declared: dict) -> None:
    """Derive each path enrollment from its items, and refuse a table that says otherwise:
    the tables are what to fix, not the rule."""
    refresh_path_statuses(conn)
    for (user, path), (slug, status) in declared.items():
        found = conn.execute(
            "SELECT status FROM enrollments WHERE user_id = ? AND content_id = ?", (user, path)
        ).fetchone()[0]
        if found != status:
            raise ValueError(f"{user}'s {slug} is {found} by its items, not {status}")


def _completion_awards(user: str, slug: str, points: float, cpe: float, when: datetime) -> list:
    rows = [(user, "at-points", slug, float(points), when)]
    if cpe:
        rows.append((user, "at-cpe", slug, float(cpe), when))
    return rows + [(user, "at-completion", slug, 1.0, when)]


def _earned_badges(awards: list[tuple]) -> list[tuple]:
    """Every badge whose threshold a user's total of its award type reaches, earned at the
    moment the running total first reached it."""
    rows, totals, earned = [], {}, set()
    for user, kind, _slug, amount, when in sorted(awards, key=lambda a: (a[0], a[4], a[1], a[2])):
        totals[user, kind] = totals.get((user, kind), 0) + amount
        for badge, _label, threshold, badge_kind in _BADGES:
            if (
                badge_kind == kind
                and totals[user, kind] >= threshold
                and (user, badge) not in earned
            ):
                earned.add((user, badge))
                rows.append((_uid("earned", f"{user}:{badge}"), user, badge, iso(when)))
    return rows


def _certificates(conn: sqlite3.Connection, at: _Clock, done: dict) -> None:
    template_asset = f"{ASSETS}certificate-template.svg"
    _insert(
        conn,
        "certificate_templates",
        "id, title, asset, expiration_days, resource_type",
        [(tid, title, template_asset, days, kind) for tid, title, days, kind in _TEMPLATES],
    )
    expiry = {tid: days for tid, _title, days, _kind in _TEMPLATES}
    rows = []
    for user, slug, template, has_pdf in _CERTIFICATES:
        cid = _uid("certificate", f"{user}:{slug}")
        issued = done[user, slug]  # when the enrollment was completed
        days = expiry[template]
        expires = issued + timedelta(days=days) if days else None
        recertify = expires - timedelta(days=30) if days == 365 else None  # annual ones only
        rows.append((
            cid, user, content_id(slug), template, iso(issued), expires and iso(expires),
            recertify and iso(recertify), f"/certificates/{cid}",
            f"/sandbox/certificates/{cid}.pdf" if has_pdf else None, _identifier(cid),
            "platform", 0, None, None, "[]",
        ))  # fmt: skip
    external = _uid("certificate", f"{LEARNER_ID}:first-aid-at-work")
    fields = [
        {"certificateFieldId": "cf-course", "type": "courseLabel", "value": "First Aid at Work"},
        {"certificateFieldId": "cf-completion-date", "type": "contentCompletionDate",
         "date": at.ago(120, 12)},
        {"certificateFieldId": "cf-expiration-date", "type": "expirationDateLabel",
         "date": at(975, 12)},
    ]  # fmt: skip
    rows.append((
        external, LEARNER_ID, None, None, at.ago(120, 12), at(975, 12), None,
        f"/certificates/{external}", None, _identifier(external), "upload", 1,
        "First Aid at Work", f"{ASSETS}certificate-external.svg", _json(fields),
    ))  # fmt: skip
    _insert(
        conn,
        "certificates",
        "id, user_id, content_id, template_id, issued_at, expiration_date, recertification_date,"
        " url, pdf_asset, identifier, source, is_external, external_title, asset, fields",
        rows,
    )
    _insert(
        conn,
        "certificate_fields",
        "id, position, type, label, include_on_transcript, include_on_external, text,"
        " date_format, award_type_id, identifier_prefix, identifier_body_length",
        [
            (fid, position, kind, *rest, *(("CERT-", 8) if kind == "identifier" else (None, None)))
            for position, (fid, kind, *rest) in enumerate(_CERTIFICATE_FIELDS, 1)
        ],
    )


def _texts(conn: sqlite3.Connection) -> None:
    _insert(
        conn,
        "languages",
        "id, code, label, selector_label, position",
        [
            (f"lang-{code}", code, label, own, position)
            for position, (code, label, own) in enumerate(catalog.LANGUAGES, 1)
        ],
    )
    _insert(
        conn,
        "translations",
        "id, namespace, lang, strings",
        [
            (f"tr-{namespace}-{lang}", namespace, lang, _json(catalog.strings(text)))
            for namespace, files in (("lms", catalog.LMS), ("emails", catalog.EMAILS))
            for lang, text in files.items()
        ],
    )


def _codes(conn: sqlite3.Connection, at: _Clock, leaders: list[tuple]) -> None:
    _insert(
        conn,
        "codes",
        "code, kind, expires_at, max_redemptions, content_ids, license_id",
        [
            (code, kind, at(expires, 23), limit, _json([content_id(s) for s in slugs]), lic)
            for code, kind, expires, limit, slugs, lic in _CODES
        ],
    )
    grants = {code: slugs for code, _kind, _expires, _limit, slugs, _lic in _CODES}
    by_index = {index: uid for uid, index, _total, _lic in leaders}
    redemptions, enrollments = [], []
    for code, index, days in _REDEMPTIONS:
        redemptions.append((code, by_index[index], at(-days, 12)))
        enrollments += [
            (by_index[index], content_id(slug), "notStarted", "code", at(-days, 12))
            for slug in grants[code]
        ]
    _insert(conn, "code_redemptions", "code, user_id, redeemed_at", redemptions)
    _insert(conn, "enrollments", "user_id, content_id, status, source, enrolled_at", enrollments)
