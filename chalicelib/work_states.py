"""How far an assignee got with an assigned recording: the states they set, which the
assignments, the blind layers and the agreement all read."""

TO_DO, IN_PROGRESS, DONE = "to_do", "in_progress", "done"
STATES = (TO_DO, IN_PROGRESS, DONE)
