"""Signing in and out, the current user, licenses, and creating learners."""

from __future__ import annotations

import json
import re
import secrets
import uuid

from werkzeug.security import check_password_hash

from ..context import token_digest
from ..dates import iso
from ..errors import (
    ALREADY_EXISTS,
    FORBIDDEN,
    INVALID_CREDENTIALS,
    SandboxError,
    bad_input,
    forbidden,
    not_found,
    unauthenticated,
)
from . import shapes
from .registry import mutation, query

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_BATCH = 500
MAX_NAME = 100


@mutation("Login")
def login(ctx, email, password):
    row = shapes.one(ctx.conn, "SELECT * FROM users WHERE email = ?", ((email or "").strip(),))
    if (
        row is None
        or not row["password_hash"]
        or not check_password_hash(row["password_hash"], password or "")
    ):
        raise SandboxError("Invalid email or password.", INVALID_CREDENTIALS)
    if row["disabled"]:
        raise SandboxError("This account is disabled. Contact your administrator.", FORBIDDEN)
    if row["must_verify_email"]:
        raise SandboxError("Verify your email address before signing in.", FORBIDDEN)
    token = secrets.token_urlsafe(32)
    ctx.conn.execute(
        "INSERT INTO tokens (token_hash, user_id, created_at) VALUES (?, ?, ?)",
        (token_digest(token), row["id"], iso(ctx.now)),
    )
    return token


@mutation("Logout")
def logout(ctx):
    if not ctx.token:
        raise unauthenticated()
    revoked = ctx.conn.execute(
        "UPDATE tokens SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL",
        (iso(ctx.now), token_digest(ctx.token)),
    ).rowcount
    if not revoked:
        raise unauthenticated("This session has already ended.")
    ctx.forget_user()
    return True


@query("CurrentUser")
def current_user(ctx):
    user = ctx.optional_user()
    return shapes.user(ctx, user) if user else None  # documented: null when signed out


@mutation("SelectCurrentUserActiveLicense")
def select_current_user_active_license(ctx, license_id):
    user = ctx.require_user()
    if not shapes.one(ctx.conn, "SELECT id FROM licenses WHERE id = ?", (license_id,)):
        raise not_found("License", license_id)
    if not ctx.conn.execute(
        "SELECT 1 FROM user_licenses WHERE user_id = ? AND license_id = ?", (user["id"], license_id)
    ).fetchone():
        raise forbidden("That license is not allocated to you.")
    ctx.conn.execute(
        "UPDATE users SET active_license_id = ?, updated_at = ? WHERE id = ?",
        (license_id, iso(ctx.now), user["id"]),
    )
    ctx.forget_user()
    return True


# -- creating learners ---------------------------------------------------------------------------


def _problems(ctx, learner: dict, default_client: str | None) -> list[str]:
    """Why this learner cannot be created, in words an admin can act on; [] when it can."""
    problems = []
    email = (learner.get("email") or "").strip()
    if not _EMAIL.match(email) or len(email) > 254:
        problems.append("email is not a valid address")
    elif ctx.conn.execute("SELECT 1 FROM users WHERE email = ?", (email,)).fetchone():
        problems.append("a user with this email already exists")
    for key, label in (("firstName", "first name"), ("lastName", "last name")):
        value = (learner.get(key) or "").strip()
        if not value:
            problems.append(f"{label} is required")
        elif len(value) > MAX_NAME:
            problems.append(f"{label} is longer than {MAX_NAME} characters")
    client_id = learner.get("clientId") or default_client
    if learner.get("clientId") and not shapes.one(
        ctx.conn, "SELECT id FROM clients WHERE id = ?", (client_id,)
    ):
        problems.append(f"client {learner['clientId']} does not exist")
    for license_id in learner.get("licenseIds") or []:
        row = shapes.one(ctx.conn, "SELECT client_id FROM licenses WHERE id = ?", (license_id,))
        if row is None:
            problems.append(f"license {license_id} does not exist")
        elif row["client_id"] not in (None, client_id):
            problems.append(f"license {license_id} belongs to another client")
    return problems


def _default_client(ctx) -> str | None:
    row = shapes.one(
        ctx.conn, "SELECT c.id FROM clients c JOIN company co ON co.subdomain = c.slug LIMIT 1"
    )
    return row["id"] if row else None


def _create(ctx, learner: dict, default_client: str | None, refs: dict) -> dict:
    now = iso(ctx.now)
    user_id = str(uuid.uuid4())
    licenses = list(dict.fromkeys(learner.get("licenseIds") or []))
    company = shapes.one(ctx.conn, "SELECT default_lang FROM company")
    ctx.conn.execute(
        "INSERT INTO users (id, email, first_name, last_name, role_key, lang, client_id,"
        " active_license_id, refs, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, 'learner', ?, ?, ?, ?, ?, ?)",
        (
            user_id,
            learner["email"].strip(),
            learner["firstName"].strip(),
            learner["lastName"].strip(),
            company["default_lang"] if company else "en",
            learner.get("clientId") or default_client,
            licenses[0] if licenses else None,
            json.dumps({k: str(v) for k, v in refs.items() if v is not None}),
            now,
            now,
        ),
    )
    for license_id in licenses:
        ctx.conn.execute(
            "INSERT INTO user_licenses (user_id, license_id, role) VALUES (?, ?, 'student')",
            (user_id, license_id),
        )
    return shapes.user(ctx, shapes.one(ctx.conn, "SELECT * FROM users WHERE id = ?", (user_id,)))


@mutation("CreateLearner")
def create_learner(ctx, email, first_name, last_name, client_id=None, license_ids=None):
    ctx.require_admin()
    learner = {
        "email": email,
        "firstName": first_name,
        "lastName": last_name,
        "clientId": client_id,
        "licenseIds": license_ids,
    }
    if client_id and not shapes.one(ctx.conn, "SELECT id FROM clients WHERE id = ?", (client_id,)):
        raise not_found("Client", client_id)
    default_client = _default_client(ctx)
    problems = _problems(ctx, learner, default_client)
    if problems:
        code = (
            ALREADY_EXISTS
            if problems == ["a user with this email already exists"]
            else "BAD_USER_INPUT"
        )
        raise SandboxError(f"{email}: {'; '.join(problems)}.", code, problems=problems)
    return _create(ctx, learner, default_client, {})


@mutation("CreateLearners")
def create_learners(ctx, learners):
    ctx.require_admin()
    if not learners:
        raise bad_input("Provide at least one learner.")
    if len(learners) > MAX_BATCH:
        raise bad_input(f"Create at most {MAX_BATCH} learners at a time.")
    default_client = _default_client(ctx)
    invalid, seen = [], {}
    for index, learner in enumerate(learners):
        problems = _problems(ctx, learner, default_client)
        key = (learner.get("email") or "").strip().casefold()
        if key and key in seen:
            problems.append(f"the same email as learners[{seen[key]}]")
        seen.setdefault(key, index)
        if problems:
            invalid.append({"index": index, "email": learner.get("email"), "problems": problems})
    if invalid:
        listing = "; ".join(
            f"learners[{i['index']}] {i['email']}: {', '.join(i['problems'])}" for i in invalid
        )
        raise bad_input(
            f"{len(invalid)} of {len(learners)} learners cannot be created, so none were: "
            f"{listing}.",
            invalidLearners=invalid,
        )
    return [
        _create(ctx, learner, default_client, ctx.undeclared_inputs.get(("learners", i), {}))
        for i, learner in enumerate(learners)
    ]
