"""Moving an item to the learner's archive and restoring it: the mutation, what became of it,
and what to tell the learner."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from ..auth import learner_token
from ..gql import Call, InstanceError, OperationFailed, RateLimited, UpstreamUnavailable, instance
from ..security import plausible_id

ARCHIVE, RESTORE = "archive", "restore"

DONE = "done"
ALREADY = "already"  # the instance says it is archived already
NOT_FOUND = "not-found"  # not in the learner's learning (archive) or archive (restore)
FORBIDDEN = "forbidden"  # the instance won't restore this one (expired access)
BUSY = "busy"  # rate limited: nothing was sent
UNAVAILABLE = "unavailable"  # no answer, and a re-read shows nothing changed
UNCONFIRMED = "unconfirmed"  # no answer, and the state couldn't be re-read either
REFUSED = "refused"  # another refusal, in the instance's words


@dataclass(frozen=True)
class Outcome:
    action: str
    result: str
    detail: str | None = None
    retry_after: int = 0

    @property
    def done(self) -> bool:
        return self.result == DONE

    @property
    def tone(self) -> str:
        return {DONE: "success", ALREADY: "info"}.get(self.result, "error")


def mutation_for(action: str, kind: str | None) -> str:
    """TI archives and restores paths and courses (everything else) with their own mutations."""
    verb = "Archive" if action == ARCHIVE else "Reinstate"
    return f"{verb}User{'LearningPath' if kind == 'learningPath' else 'Course'}"


def change(action: str, item_id: str, kind: str | None) -> Outcome:
    """Archive or restore once (never retried); a lost answer is settled by reading the
    learner's archive again before anything is said."""
    if not plausible_id(item_id):
        return Outcome(action, NOT_FOUND)
    token = learner_token()
    try:
        instance().mutate(Call(mutation_for(action, kind), {"id": item_id}), token=token)
    except OperationFailed as failed:
        results = {"NOT_FOUND": NOT_FOUND, "FORBIDDEN": FORBIDDEN, "ALREADY_EXISTS": ALREADY}
        return Outcome(action, results.get(failed.code, REFUSED), detail=str(failed))
    except RateLimited as limited:
        return Outcome(action, BUSY, retry_after=limited.seconds)
    except UpstreamUnavailable:
        archived = archived_ids()
        if archived is None:
            return Outcome(action, UNCONFIRMED)
        happened = (item_id in archived) == (action == ARCHIVE)
        return Outcome(action, DONE if happened else UNAVAILABLE)
    return Outcome(action, DONE)


def archived_ids() -> set[str] | None:
    """The ids of the items in the learner's archive, or None if the instance can't say."""
    try:
        archives = instance().query(Call("UserArchives"), token=learner_token())
    except InstanceError:
        return None
    return {a.resource for a in archives or [] if a and a.resource}


def message(outcome: Outcome, title: str | None) -> str:
    """What the learner is told, in their language."""
    title = title or _("This item")
    archiving = outcome.action == ARCHIVE
    result = outcome.result
    if result == DONE:
        if archiving:
            return _(
                "%(title)s is in your archive now. You can restore it from there.", title=title
            )
        return _("%(title)s is back in My learning, with your progress.", title=title)
    if result == ALREADY:
        return _("%(title)s was already in your archive.", title=title)
    if result == NOT_FOUND:
        if archiving:
            return _(
                "%(title)s isn't in your learning, so there is nothing to archive.", title=title
            )
        return _("%(title)s isn't in your archive, so there is nothing to restore.", title=title)
    if result == FORBIDDEN:
        return _(
            "%(title)s can't be restored: your access to it has ended. Ask your administrator.",
            title=title,
        )
    if result == BUSY:
        return _(
            "The learning platform is busy right now, so nothing changed. "
            "Try again in %(seconds)d seconds.",
            seconds=outcome.retry_after,
        )
    if result == UNAVAILABLE:
        return _(
            "We couldn't reach the learning platform, so nothing changed. Try again in a moment."
        )
    if result == UNCONFIRMED:
        if archiving:
            return _(
                "We couldn't reach the learning platform, so we can't tell whether %(title)s "
                "was archived. Reload the page to check before trying again.",
                title=title,
            )
        return _(
            "We couldn't reach the learning platform, so we can't tell whether %(title)s "
            "was restored. Reload the page to check before trying again.",
            title=title,
        )
    return _("The learning platform refused: %(reason)s", reason=outcome.detail or "")
