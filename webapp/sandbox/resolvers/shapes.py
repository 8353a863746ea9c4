"""Rows to GraphQL-shaped dicts. Nested objects are lazy (callables), fetched only if selected."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable

from ..context import RequestContext
from ..dates import is_past

KIND_LABELS = {
    "course": "Course",
    "learningPath": "Learning Path",
    "webinar": "Webinar",
    "article": "Article",
    "video": "Video",
    "inPersonEvent": "In-Person Event",
    "microCourse": "Micro Course",
}
COURSE_KINDS = ("course", "microCourse", "webinarCourse", "inPersonEventCourse")
# For SQL: the fixed list above as a literal, so count queries need only the user's id bound.
COURSE_KINDS_SQL = "(" + ", ".join(f"'{kind}'" for kind in COURSE_KINDS) + ")"


def rows(conn: sqlite3.Connection, sql: str, params: Iterable = ()) -> list[dict]:
    return [dict(r) for r in conn.execute(sql, tuple(params))]


def one(conn: sqlite3.Connection, sql: str, params: Iterable = ()) -> dict | None:
    row = conn.execute(sql, tuple(params)).fetchone()
    return dict(row) if row else None


def placeholders(values: list) -> str:
    return ",".join("?" * len(values))


# -- company and clients ----------------------------------------------------------------------


def appearance(row: dict | None) -> dict | None:
    if row is None:
        return None
    return {
        "id": row["id"],
        "logoAsset": row["logo_asset"],
        "retinaLogo": bool(row["retina_logo"]),
        "favicon": row["favicon"],
        "accentColor": row["accent_color"],
        "secondaryColor": row["secondary_color"],
        "linkColor": row["link_color"],
        "font": row["font"],
        "altFont": row["alt_font"],
        "backgroundAsset": row["background_asset"],
        "backgroundAssetTiled": bool(row["background_asset_tiled"]),
        "customCss": row["custom_css"],
        "globalNavigationLinks": json.loads(row["nav_links"] or "[]"),
    }


def client(conn: sqlite3.Connection, client_id: str | None) -> dict | None:
    row = client_id and one(conn, "SELECT * FROM clients WHERE id = ?", (client_id,))
    if not row:
        return None
    return {
        "id": row["id"],
        "name": row["name"],
        "slug": row["slug"],
        "appearance": lambda: appearance(
            one(conn, "SELECT * FROM appearance WHERE client_id = ?", (row["id"],))
        ),
        "enableBranding": True,
    }


def license_(conn: sqlite3.Connection, license_id: str | None) -> dict | None:
    row = license_id and one(conn, "SELECT * FROM licenses WHERE id = ?", (license_id,))
    if not row:
        return None
    return {
        "id": row["id"],
        "name": row["name"],
        "label": row["name"],
        "isDefault": bool(row["is_default"]),
        "client": lambda: client(conn, row["client_id"]),
        "courseIds": lambda: [
            r["content_id"]
            for r in rows(
                conn, "SELECT content_id FROM license_content WHERE license_id = ?", (row["id"],)
            )
        ],
    }


# -- users --------------------------------------------------------------------------------------


def user(ctx: RequestContext, row: dict) -> dict:
    """A User as TI shapes it; counts and lists computed from the learner's records."""
    conn = ctx.conn
    uid = row["id"]
    refs = json.loads(row["refs"] or "{}")
    first, last = row["first_name"] or "", row["last_name"] or ""

    def count(sql: str) -> int:
        return conn.execute(sql, (uid,)).fetchone()[0]

    enrolled_courses = (
        "SELECT COUNT(*) FROM enrollments e JOIN content c ON c.id = e.content_id "
        f"WHERE e.user_id = ? AND c.kind IN {COURSE_KINDS_SQL}"
    )
    shaped = {
        "id": uid,
        "email": row["email"],
        "firstName": first,
        "lastName": last,
        "name": f"{first} {last}".strip(),
        "abbreviatedName": f"{first} {last[:1]}.".strip() if last else first,
        "firstInitial": first[:1],
        "lastInitial": last[:1],
        "roleKey": row["role_key"],
        "lang": row["lang"],
        "preferredCurrency": row["preferred_currency"],
        "balance": row["balance"],
        "bio": row["bio"],
        "asset": row["asset"],
        "disabled": bool(row["disabled"]),
        "mustVerifyEmail": bool(row["must_verify_email"]),
        "clientId": row["client_id"],
        "createdAt": row["created_at"],
        "updatedAt": row["updated_at"],
        "customFields": json.loads(row["custom_fields"] or "{}"),
        "client": lambda: client(conn, row["client_id"]),
        "activeLicense": lambda: license_(conn, row["active_license_id"]),
        "allocatedLicenses": lambda: [
            {
                "licenseId": r["license_id"],
                "license": license_(conn, r["license_id"]),
                "licenseRole": r["role"],
                "status": "active",
            }
            for r in rows(
                conn, "SELECT * FROM user_licenses WHERE user_id = ? ORDER BY rowid", (uid,)
            )
        ],
        "purchasedCourses": lambda: _purchased_courses(ctx, uid),
        "waitlistedCourses": lambda: [
            {"courseId": r["content_id"], "course": course_ref(conn, r["content_id"])}
            for r in rows(
                conn, "SELECT content_id FROM waitlist WHERE user_id = ? ORDER BY joined_at", (uid,)
            )
        ],
        "allocatedLearningPaths": lambda: [
            {
                "learningPathId": r["content_id"],
                "status": r["status"],
                "learningPath": course_ref(conn, r["content_id"]),
            }
            for r in rows(
                conn,
                "SELECT e.content_id, e.status FROM enrollments e JOIN content c"
                " ON c.id = e.content_id WHERE e.user_id = ? AND c.kind = 'learningPath'"
                " ORDER BY e.enrolled_at",
                (uid,),
            )
        ],
        "purchasedBundles": list,
        "attendedMeetings": list,
        "adminClients": lambda: (
            [client(conn, row["client_id"])] if row["role_key"] == "admin" else []
        ),
        "certificatesCount": lambda: sum(
            1
            for c in rows(
                conn,
                "SELECT expiration_date FROM certificates WHERE user_id = ? AND deleted = 0",
                (uid,),
            )
            if not is_past(c["expiration_date"], ctx.now)
        ),
        "completedCoursesCount": lambda: count(enrolled_courses + " AND e.status = 'completed'"),
        "startedCoursesCount": lambda: count(enrolled_courses + " AND e.status = 'started'"),
        "availableCoursesCount": lambda: count(enrolled_courses),
        "collaborationsCount": lambda: count(
            "SELECT COALESCE(SUM(count), 0) FROM collaborations WHERE user_id = ?"
        ),
        "shouldHighlight": False,
    }
    for i in range(1, 11):
        shaped[f"ref{i}"] = refs.get(f"ref{i}")
    return shaped


def _purchased_courses(ctx: RequestContext, uid: str) -> list[dict]:
    found = rows(
        ctx.conn,
        "SELECT e.content_id, e.status, "
        " (SELECT id FROM certificates WHERE content_id = e.content_id AND user_id = e.user_id"
        "  AND deleted = 0 ORDER BY issued_at DESC LIMIT 1) AS cert_id,"
        " (SELECT issued_at FROM certificates"
        "  WHERE content_id = e.content_id AND user_id = e.user_id"
        "  AND deleted = 0 ORDER BY issued_at DESC LIMIT 1) AS cert_at "
        "FROM enrollments e JOIN content c ON c.id = e.content_id "
        f"WHERE e.user_id = ? AND c.kind IN {COURSE_KINDS_SQL} ORDER BY e.enrolled_at",
        (uid,),
    )
    return [
        {
            "courseId": r["content_id"],
            "status": r["status"],
            "certificate": r["cert_id"],
            "certificateIssuedAt": r["cert_at"],
            "course": course_ref(ctx.conn, r["content_id"]),
        }
        for r in found
    ]


# -- content -------------------------------------------------------------------------------------


def course_ref(conn: sqlite3.Connection, content_id: str | None) -> dict | None:
    """A content row as the AwardResource/CertificateResource union's Course or LearningPath."""
    row = content_id and one(conn, "SELECT * FROM content WHERE id = ?", (content_id,))
    if not row:
        return None
    common = {"id": row["id"], "slug": row["slug"], "prices": [], "status": row["status"]}
    if row["kind"] == "learningPath":
        return {
            "__typename": "LearningPath",
            "name": row["title"],
            "resourceType": "learningPath",
            **common,
        }
    return {
        "__typename": "Course",
        "title": row["title"],
        "isActive": bool(row["is_active"]),
        "courseStartDate": row["course_start_date"],
        "courseEndDate": row["course_end_date"],
        **common,
    }


def tags_by_content(conn: sqlite3.Connection, content_ids: list[str]) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {cid: [] for cid in content_ids}
    if not content_ids:
        return found
    for r in conn.execute(
        "SELECT ct.content_id, t.id, t.label FROM content_tags ct JOIN tags t ON t.id = ct.tag_id "
        f"WHERE ct.content_id IN ({placeholders(content_ids)}) ORDER BY t.label",
        content_ids,
    ):
        found[r["content_id"]].append({"id": r["id"], "label": r["label"], "isFolder": False})
    return found


def content(
    row: dict, tags: list[dict], enrollment: dict | None = None, currency: str = "USD"
) -> dict:
    """A Content item. `enrollment` carries the learner's own state (due date, progress)."""
    price = row["price_in_cents"]
    seats = row["seats_limit"]
    waiting = row["waitlist_count"]
    owned = enrollment is not None
    availability = row["availability_status"]
    if not owned and price:
        availability = "purchasable"
    return {
        "id": row["id"],
        "title": row["title"],
        "slug": row["slug"],
        "kind": row["kind"],
        "status": row["status"],
        "description": row["description"],
        "asset": row["asset"],
        "assetAltText": row["asset_alt_text"],
        "priceInCents": price,
        "prices": [
            {
                "id": f"price-{row['id']}",
                "currencyCode": currency,
                "priceInCents": price,
                "variations": [],
            }
        ]
        if price
        else [],
        "authors": json.loads(row["authors"] or "[]"),
        "authorsAndInstructors": json.loads(row["authors"] or "[]"),
        "tags": tags,
        "customFields": json.loads(row["custom_fields"] or "{}"),
        "availabilityStatus": availability,
        "isActive": bool(row["is_active"]),
        "url": row["url"],
        "badgeUrl": row["badge_url"],
        "courseStartDate": row["course_start_date"],
        "courseEndDate": row["course_end_date"],
        "enrollmentStartDate": row["enrollment_start_date"],
        "enrollmentEndDate": row["enrollment_end_date"],
        "waitlistingEnabled": bool(row["waitlisting_enabled"]),
        "waitlistingTriggered": bool(row["waitlisting_enabled"]) and waiting > 0,
        "seatsLimit": seats,
        "waitlistCount": waiting,
        "enrollmentCount": row["enrollment_count"],
        "createdAt": row["created_at"],
        "updatedAt": row["updated_at"],
        "publishDate": row["publish_date"],
        "displayDate": row["display_date"],
        "contentTypeLabel": KIND_LABELS.get(row["kind"], row["kind"]),
        "hasChildren": row["kind"] == "learningPath",
        "language": "en",
        "currentUserDueDate": enrollment["due_date"] if enrollment else None,
        "completedPassedDueDate": bool(
            enrollment
            and enrollment.get("completed_at")
            and enrollment.get("due_date")
            and enrollment["completed_at"] > enrollment["due_date"]
        ),
    }
