"""Moving an item to the learner's archive and restoring it: the mutation, what became of it,
and what to tell the learner."""

from __future__ import annotations

from flask_babel import gettext as _

from .. import outcomes
from ..auth import learner_token
from ..gql import Call, InstanceError, instance
from ..outcomes import DONE, LOST, NOT_FOUND, REFUSED, Message, Outcome
from ..security import plausible_id

ARCHIVE, RESTORE = "archive", "restore"

# The instance's refusals worded apart: archived already, or (restoring) access ended.
ALREADY = (REFUSED, "ALREADY_EXISTS")
FORBIDDEN = (REFUSED, "FORBIDDEN")
# HTTP status and tone where they differ from the kind's (outcomes.STATUS, outcomes.TONE).
STATUS = {ALREADY: 200, FORBIDDEN: 403}
TONES = {ALREADY: "info"}


def mutation_for(action: str, kind: str | None) -> str:
    """TI archives and restores paths and courses (everything else) with their own mutations."""
    verb = "Archive" if action == ARCHIVE else "Reinstate"
    return f"{verb}User{'LearningPath' if kind == 'learningPath' else 'Course'}"


def change(action: str, item_id: str, kind: str | None) -> Outcome:
    """Archive or restore once (never retried); a lost answer is settled by reading the
    learner's archive again before anything is said."""
    if not plausible_id(item_id):
        return Outcome(NOT_FOUND)
    outcome = outcomes.send(Call(mutation_for(action, kind), {"id": item_id}))

    def happened() -> bool | None:
        archived = archived_ids()
        return None if archived is None else (item_id in archived) == (action == ARCHIVE)

    return outcomes.reconcile(outcome, happened)


def archived_ids() -> set[str] | None:
    """The ids of the items in the learner's archive, or None if the instance can't say."""
    try:
        archives = instance().query(Call("UserArchives"), token=learner_token())
    except InstanceError:
        return None
    return {a.resource for a in archives or [] if a and a.resource}


def message(action: str, outcome: Outcome, title: str | None) -> Message:
    """What the learner is told, in their language."""
    title = title or _("This item")
    archiving = action == ARCHIVE

    def done(_o):
        if archiving:
            return _(
                "%(title)s is in your archive now. You can restore it from there.", title=title
            )
        return _("%(title)s is back in My learning, with your progress.", title=title)

    def not_found(_o):
        if archiving:
            return _(
                "%(title)s isn't in your learning, so there is nothing to archive.", title=title
            )
        return _("%(title)s isn't in your archive, so there is nothing to restore.", title=title)

    def lost(_o):
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

    wording: outcomes.Wording = {
        DONE: done,
        ALREADY: lambda o: _("%(title)s was already in your archive.", title=title),
        NOT_FOUND: not_found,
        FORBIDDEN: lambda o: _(
            "%(title)s can't be restored: your access to it has ended. Ask your administrator.",
            title=title,
        ),
        LOST: lost,
    }
    return outcomes.word(outcome, wording, TONES)
