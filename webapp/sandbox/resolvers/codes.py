"""Redemption and registration codes: validate without consuming, redeem all or nothing."""

from __future__ import annotations

import json

from ..dates import is_past, iso
from ..errors import NOT_FOUND, SandboxError, bad_input
from . import shapes
from .registry import mutation

MAX_CODES = 20


def _code_status(
    ctx, code: str, kind: str | None, user: dict | None
) -> tuple[dict | None, str | None]:
    """The code's row and why it cannot be redeemed now (None when it can)."""
    sql = "SELECT * FROM codes WHERE code = ?" + (" AND kind = ?" if kind else "")
    row = shapes.one(ctx.conn, sql, (code.strip(), kind) if kind else (code.strip(),))
    if row is None:
        return None, "not found"
    if (
        user
        and ctx.conn.execute(
            "SELECT 1 FROM code_redemptions WHERE code = ? AND user_id = ?",
            (row["code"], user["id"]),
        ).fetchone()
    ):
        return row, "already redeemed"
    used = ctx.conn.execute(
        "SELECT COUNT(*) FROM code_redemptions WHERE code = ?", (row["code"],)
    ).fetchone()[0]
    if row["max_redemptions"] is not None and used >= row["max_redemptions"]:
        return row, "already redeemed"
    if is_past(row["expires_at"], ctx.now):
        return row, "expired"
    return row, None


@mutation("ValidateRedemptionCode")
def validate_redemption_code(ctx, code):
    row, problem = _code_status(ctx, code, "redemption", ctx.optional_user())
    return {
        "valid": row is not None and problem is None,
        "alreadyRedeemed": problem == "already redeemed",
        "codeExpired": row is not None and is_past(row["expires_at"], ctx.now),
    }


@mutation("ValidateRegistrationCode")
def validate_registration_code(ctx, code):
    row, problem = _code_status(ctx, code, "registration", ctx.optional_user())
    return {
        "valid": row is not None and problem is None,
        "alreadyRedeemed": problem == "already redeemed",
    }


@mutation("RedeemRegistrationAndRedemptionCodes")
def redeem_codes(ctx, validated_redemption_codes):
    user = ctx.require_user()
    # Codes match case-insensitively, so "welcome-2026" and "WELCOME-2026" are one code.
    codes, seen = [], set()
    for raw in validated_redemption_codes:
        code = raw.strip()
        if code and code.casefold() not in seen:
            seen.add(code.casefold())
            codes.append(code)
    if not codes:
        raise bad_input("Enter at least one code to redeem.")
    if len(codes) > MAX_CODES:
        raise bad_input(f"Redeem at most {MAX_CODES} codes at a time.")
    checked = [(code, *_code_status(ctx, code, None, user)) for code in codes]
    refused = [{"code": code, "reason": problem} for code, _row, problem in checked if problem]
    if refused:
        listing = ", ".join(f"{r['code']} ({r['reason']})" for r in refused)
        every_unknown = all(r["reason"] == "not found" for r in refused)
        raise SandboxError(
            f"Nothing was redeemed. These codes cannot be redeemed: {listing}.",
            NOT_FOUND if every_unknown else "BAD_USER_INPUT",
            invalidCodes=refused,
        )
    now = iso(ctx.now)
    for _code, row, _problem in checked:
        ctx.conn.execute(
            "INSERT INTO code_redemptions (code, user_id, redeemed_at) VALUES (?, ?, ?)",
            (row["code"], user["id"], now),
        )
        for content_id in json.loads(row["content_ids"] or "[]"):
            ctx.conn.execute(
                "INSERT OR IGNORE INTO enrollments"
                " (user_id, content_id, status, source, enrolled_at) "
                "VALUES (?, ?, 'notStarted', 'code', ?)",
                (user["id"], content_id, now),
            )
            ctx.conn.execute(
                "DELETE FROM archives WHERE user_id = ? AND content_id = ?",
                (user["id"], content_id),
            )
        if row["license_id"]:
            ctx.conn.execute(
                "INSERT OR IGNORE INTO user_licenses (user_id, license_id, role)"
                " VALUES (?, ?, 'student')",
                (user["id"], row["license_id"]),
            )
            ctx.conn.execute(
                "UPDATE users SET active_license_id = COALESCE(active_license_id, ?) WHERE id = ?",
                (row["license_id"], user["id"]),
            )
    ctx.forget_user()
    return {"redeemed": True}
