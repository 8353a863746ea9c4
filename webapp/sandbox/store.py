"""The sandbox's SQLite state: schema, connections, and a reset to the demo data.

One short-lived connection per unit of work keeps the store safe under threaded and
single-threaded servers alike; WAL lets readers proceed while a mutation commits.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# Dates are ISO 8601 UTC strings ("2026-11-27T00:00:00.000Z"); lists and maps are JSON text.
DDL = """
CREATE TABLE company (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, subdomain TEXT NOT NULL,
    global_terms TEXT, default_lang TEXT NOT NULL DEFAULT 'en'
);
-- Appearance settings: the company's own (client_id NULL) and per-client overrides.
CREATE TABLE appearance (
    id TEXT PRIMARY KEY, client_id TEXT UNIQUE REFERENCES clients(id),
    logo_asset TEXT, retina_logo INTEGER NOT NULL DEFAULT 0, favicon TEXT,
    accent_color TEXT, secondary_color TEXT, link_color TEXT, font TEXT, alt_font TEXT,
    background_asset TEXT, background_asset_tiled INTEGER NOT NULL DEFAULT 0,
    custom_css TEXT, nav_links TEXT NOT NULL DEFAULT '[]'   -- [{"label":..,"href":..}]
);
CREATE TABLE clients (id TEXT PRIMARY KEY, name TEXT NOT NULL, slug TEXT NOT NULL UNIQUE);
CREATE TABLE licenses (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, client_id TEXT REFERENCES clients(id),
    is_default INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE users (
    id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    password_hash TEXT,                          -- NULL: cannot sign in (invited, not set up)
    first_name TEXT, last_name TEXT, role_key TEXT NOT NULL DEFAULT 'learner',
    lang TEXT, preferred_currency TEXT NOT NULL DEFAULT 'USD',
    client_id TEXT REFERENCES clients(id), balance REAL NOT NULL DEFAULT 0,
    active_license_id TEXT REFERENCES licenses(id),
    disabled INTEGER NOT NULL DEFAULT 0, must_verify_email INTEGER NOT NULL DEFAULT 0,
    bio TEXT, asset TEXT, refs TEXT NOT NULL DEFAULT '{}',   -- {"ref1": .., "ref10": ..}
    custom_fields TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL
);
-- What a license offers: catalog items its holders see (free ones open, priced ones for sale).
CREATE TABLE license_content (
    license_id TEXT NOT NULL REFERENCES licenses(id),
    content_id TEXT NOT NULL REFERENCES content(id),
    PRIMARY KEY (license_id, content_id)
);
CREATE TABLE user_licenses (
    user_id TEXT NOT NULL REFERENCES users(id), license_id TEXT NOT NULL REFERENCES licenses(id),
    role TEXT NOT NULL DEFAULT 'student',        -- AllocatedLicenseRole: student | manager
    PRIMARY KEY (user_id, license_id)
);
CREATE TABLE tokens (
    token_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL, revoked_at TEXT
);
CREATE TABLE tags (id TEXT PRIMARY KEY, label TEXT NOT NULL UNIQUE);
-- Every catalog item: courses, learning paths, webinars, articles, videos, events...
CREATE TABLE content (
    id TEXT PRIMARY KEY,                         -- a UUID: RedeemBalance takes contentId: UUID!
    slug TEXT NOT NULL UNIQUE, title TEXT NOT NULL, kind TEXT NOT NULL,   -- ContentKind
    status TEXT NOT NULL DEFAULT 'published',    -- Status
    description TEXT, long_description TEXT, asset TEXT, asset_alt_text TEXT,
    price_in_cents INTEGER NOT NULL DEFAULT 0,
    authors TEXT NOT NULL DEFAULT '[]', custom_fields TEXT NOT NULL DEFAULT '{}',
    availability_status TEXT NOT NULL DEFAULT 'available', is_active INTEGER NOT NULL DEFAULT 1,
    url TEXT, badge_url TEXT,
    course_start_date TEXT, course_end_date TEXT,
    enrollment_start_date TEXT, enrollment_end_date TEXT,
    waitlisting_enabled INTEGER NOT NULL DEFAULT 0, seats_limit INTEGER,
    waitlist_count INTEGER NOT NULL DEFAULT 0,   -- learners waiting, demo users included
    enrollment_count INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL, publish_date TEXT, display_date TEXT
);
CREATE TABLE content_tags (
    content_id TEXT NOT NULL REFERENCES content(id), tag_id TEXT NOT NULL REFERENCES tags(id),
    PRIMARY KEY (content_id, tag_id)
);
-- A learning path's milestones, in order (MilestoneKind content: a group of its items).
CREATE TABLE milestones (
    id TEXT PRIMARY KEY, path_id TEXT NOT NULL REFERENCES content(id),
    position INTEGER NOT NULL, name TEXT NOT NULL,
    requirement TEXT NOT NULL DEFAULT 'required',   -- MilestoneRequirement
    UNIQUE (path_id, position)
);
-- Members of a learning path, in order across the whole path, each in one of its milestones.
CREATE TABLE path_items (
    path_id TEXT NOT NULL REFERENCES content(id), item_id TEXT NOT NULL REFERENCES content(id),
    position INTEGER NOT NULL, milestone_id TEXT NOT NULL REFERENCES milestones(id),
    PRIMARY KEY (path_id, item_id)
);
-- What a learner has access to, and how far they are. The checks keep status and progress
-- telling one story whatever writes them: completed is 100%, started 1-99%, notStarted nothing
-- at all. A learning path's progress is its items' (progress.refresh_path_statuses).
CREATE TABLE enrollments (
    user_id TEXT NOT NULL REFERENCES users(id), content_id TEXT NOT NULL REFERENCES content(id),
    status TEXT NOT NULL DEFAULT 'notStarted',   -- notStarted | started | completed
    source TEXT NOT NULL DEFAULT 'assigned',     -- assigned | purchased | balance | code | license
    due_date TEXT, last_viewed_at TEXT, completed_at TEXT, enrolled_at TEXT NOT NULL,
    percent_complete INTEGER NOT NULL DEFAULT 0,
    total_time INTEGER NOT NULL DEFAULT 0,       -- seconds spent in the content
    total_views INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (user_id, content_id),
    CHECK (status IN ('notStarted', 'started', 'completed')),
    CHECK ((status = 'completed') = (percent_complete = 100)),
    CHECK (status != 'started' OR percent_complete BETWEEN 1 AND 99),
    CHECK (status != 'notStarted' OR (percent_complete = 0 AND total_time = 0
                                      AND total_views = 0)),
    CHECK (total_time >= 0 AND total_views >= 0)
);
-- What completing a course-like item takes (CourseCompletionCriteriaType), in order. `required`
-- lists the topics, assessments, meetings... it needs (JSON), NULL for a percentage criterion.
CREATE TABLE completion_criteria (
    id TEXT PRIMARY KEY, content_id TEXT NOT NULL REFERENCES content(id),
    position INTEGER NOT NULL, type TEXT NOT NULL, required TEXT,
    UNIQUE (content_id, position)
);
-- Which of a criterion's required ids a learner has done (JSON list), no row: none yet.
-- A percentage criterion has no rows: its percent is the enrollment's percent_complete.
CREATE TABLE criterion_progress (
    user_id TEXT NOT NULL REFERENCES users(id),
    criterion_id TEXT NOT NULL REFERENCES completion_criteria(id),
    completed TEXT NOT NULL DEFAULT '[]', PRIMARY KEY (user_id, criterion_id)
);
CREATE TABLE waitlist (
    user_id TEXT NOT NULL REFERENCES users(id), content_id TEXT NOT NULL REFERENCES content(id),
    joined_at TEXT NOT NULL, PRIMARY KEY (user_id, content_id)
);
CREATE TABLE archives (
    id TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id),
    content_id TEXT NOT NULL REFERENCES content(id), archived_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'archived', reinstatable INTEGER NOT NULL DEFAULT 1,
    waitlist_active INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE bookmark_folders (
    id TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id), name TEXT NOT NULL
);
CREATE TABLE collaborations (
    user_id TEXT NOT NULL REFERENCES users(id), content_id TEXT NOT NULL REFERENCES content(id),
    count INTEGER NOT NULL, PRIMARY KEY (user_id, content_id)
);
CREATE TABLE award_types (
    id TEXT PRIMARY KEY, label TEXT NOT NULL, plural_label TEXT NOT NULL,
    icon TEXT NOT NULL,                          -- AwardTypeIcon
    include_on_dashboard INTEGER NOT NULL DEFAULT 1, deleted INTEGER NOT NULL DEFAULT 0,
    ranks_leaderboard INTEGER NOT NULL DEFAULT 0 -- exactly one: the BadgeLeaderboard's basis
);
-- Awards a learner earned from a resource (a course or learning path).
CREATE TABLE awards (
    user_id TEXT NOT NULL REFERENCES users(id),
    award_type_id TEXT NOT NULL REFERENCES award_types(id),
    resource_id TEXT NOT NULL REFERENCES content(id), amount REAL NOT NULL,
    PRIMARY KEY (user_id, award_type_id, resource_id)
);
CREATE TABLE badges (
    id TEXT PRIMARY KEY, label TEXT NOT NULL, asset TEXT NOT NULL,
    award_threshold INTEGER NOT NULL, award_type_id TEXT NOT NULL REFERENCES award_types(id),
    deleted INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE earned_badges (
    id TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id),
    badge_id TEXT NOT NULL REFERENCES badges(id), earned_at TEXT NOT NULL,
    UNIQUE (user_id, badge_id)
);
CREATE TABLE certificate_templates (
    id TEXT PRIMARY KEY, title TEXT NOT NULL, asset TEXT, expiration_days INTEGER,
    resource_type TEXT NOT NULL DEFAULT 'course' -- CertificateTemplateResourceType
);
CREATE TABLE certificates (
    id TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id),
    content_id TEXT REFERENCES content(id),      -- NULL for external (uploaded) certificates
    template_id TEXT REFERENCES certificate_templates(id),
    issued_at TEXT NOT NULL, expiration_date TEXT, recertification_date TEXT,
    url TEXT NOT NULL, pdf_asset TEXT, identifier TEXT, source TEXT NOT NULL DEFAULT 'platform',
    is_external INTEGER NOT NULL DEFAULT 0, external_title TEXT, asset TEXT,
    deleted INTEGER NOT NULL DEFAULT 0, progress_was_reset INTEGER NOT NULL DEFAULT 0,
    fields TEXT NOT NULL DEFAULT '[]'            -- uploaded CertificateUploadField values
);
CREATE TABLE certificate_fields (
    id TEXT PRIMARY KEY, position INTEGER NOT NULL,
    type TEXT NOT NULL,                          -- CertificateFieldType
    label TEXT NOT NULL, include_on_transcript INTEGER NOT NULL DEFAULT 1,
    include_on_external INTEGER NOT NULL DEFAULT 1, text TEXT,
    date_format TEXT,                            -- CertificateDateFormatType
    identifier_prefix TEXT, identifier_body_length INTEGER,
    award_type_id TEXT REFERENCES award_types(id), custom_field_slug TEXT,
    user_custom_field_slug TEXT
);
CREATE TABLE languages (
    id TEXT PRIMARY KEY, code TEXT NOT NULL UNIQUE, label TEXT NOT NULL,
    selector_label TEXT, is_custom INTEGER NOT NULL DEFAULT 0, position INTEGER NOT NULL
);
CREATE TABLE translations (
    id TEXT PRIMARY KEY, namespace TEXT NOT NULL,  -- TranslationNamespace: lms | emails
    lang TEXT NOT NULL, strings TEXT NOT NULL,     -- {"dashboard.completed": "Completed", ...}
    UNIQUE (namespace, lang)
);
-- Redemption codes grant content, registration codes grant a license and its content.
CREATE TABLE codes (
    code TEXT PRIMARY KEY COLLATE NOCASE, kind TEXT NOT NULL,   -- redemption | registration
    expires_at TEXT, max_redemptions INTEGER,     -- NULL: no limit
    content_ids TEXT NOT NULL DEFAULT '[]', license_id TEXT REFERENCES licenses(id)
);
CREATE TABLE code_redemptions (
    code TEXT NOT NULL REFERENCES codes(code), user_id TEXT NOT NULL REFERENCES users(id),
    redeemed_at TEXT NOT NULL, PRIMARY KEY (code, user_id)
);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
# A database made from another version of the DDL lacks tables or columns the resolvers use;
# ensure_seeded() recreates it rather than fail on the first query that needs them.
SCHEMA_VERSION = hashlib.sha256(DDL.encode()).hexdigest()[:16]


class Store:
    """Opens connections to the sandbox database and (re)creates it from the demo data."""

    def __init__(self, path: str):
        self.path = path

    def _open(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA busy_timeout = 10000")
        return conn

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        conn = self._open()
        try:
            yield conn
        finally:
            conn.close()

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A transaction that commits as a whole or not at all."""
        conn = self._open()
        try:
            conn.execute("BEGIN IMMEDIATE")
            yield conn
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        finally:
            conn.close()

    @contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """A read transaction: every query of one operation sees the same state."""
        conn = self._open()
        try:
            conn.execute("BEGIN")
            yield conn
        finally:
            conn.execute("ROLLBACK")
            conn.close()

    def is_seeded(self) -> bool:
        """Holds the demo data, made by this version of the DDL."""
        if not Path(self.path).exists():
            return False
        with self.read() as conn:
            row = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'"
            ).fetchone()
            if not row:
                return False
            found = dict(conn.execute("SELECT key, value FROM meta").fetchall())
            return "seeded_at" in found and found.get("schema") == SCHEMA_VERSION

    def reset(self) -> None:
        """Drop everything and load the demo data afresh."""
        from .seed import load_demo_data

        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        conn = self._open()
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA foreign_keys = OFF")
            conn.execute("BEGIN IMMEDIATE")
            tables = [
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            ]
            for table in tables:
                conn.execute(f'DROP TABLE IF EXISTS "{table}"')
            for statement in DDL.split(";"):
                if statement.strip():
                    conn.execute(statement)
            load_demo_data(conn)
            conn.execute("INSERT INTO meta (key, value) VALUES ('schema', ?)", (SCHEMA_VERSION,))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        finally:
            conn.close()

    def ensure_seeded(self) -> None:
        if not self.is_seeded():
            self.reset()
