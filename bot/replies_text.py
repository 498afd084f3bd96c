"""Words for the bot's answers: inert user text, thread-only answers, failures in plain words."""

from __future__ import annotations

import re

from bot.gitlab import GitLabError
from bot.markdown import code
from bot.validate.config import ConfigError

_BACKTICKS = re.compile(r"`+")
MAX_GITLAB_MESSAGE = 200


def user_text(text: str) -> str:
    """User-supplied text as an inline code span (no link, image, mention or HTML renders in it).

    The one door for user text into the bot's answers; it is `bot.markdown.code`, the escaping
    every note shares.
    """
    return code(text)


class ThreadOnly(str):
    """An answer for the asker's thread only (a refusal, a usage hint, an error): it never
    replaces the state another person's command left in the summary comment."""

    __slots__ = ()


# (status, method, route fragment) → what it means and what to do; first match wins
_ADVICE: list[tuple[int | None, str | None, str, str]] = [
    (
        403,
        "POST",
        "/repository/commits",
        "the bot's token cannot push to this project's branches: give the bot user Developer "
        "access (Maintainer if the branch is protected)",
    ),
    (
        403,
        "POST",
        "/merge_requests",
        "the bot's token cannot open merge requests here: give the bot user Developer access",
    ),
    (
        403,
        "POST",
        "/statuses/",
        "the bot's token cannot set commit statuses: give the bot user Developer access",
    ),
    (
        403,
        None,
        "",
        "the bot's user is not allowed to do this: give it Developer access to the project",
    ),
    (
        401,
        None,
        "",
        "GitLab no longer accepts the bot's token: whoever runs the bot should renew "
        "`GITLAB_TOKEN` (scope `api`)",
    ),
    (
        404,
        None,
        "",
        "GitLab did not find it: the branch, file or merge request may be gone, or the bot's "
        "user cannot see the project",
    ),
    (409, None, "", "someone changed the same thing meanwhile: comment the command again"),
    (422, None, "", "GitLab refused the change as invalid"),
    (400, None, "", "GitLab refused the request as invalid"),
    (429, None, "", "GitLab is rate-limiting the bot: comment the command again in a few minutes"),
]
_SERVER = "GitLab had an internal problem: comment the command again later"
_UNREACHABLE = "GitLab could not be reached: comment the command again later"
_STATUS_NAMES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    422: "Unprocessable",
    429: "Too Many Requests",
}


def _advice(error: GitLabError) -> str:
    status, method, route = error.status, error.method or "", error.route or ""
    if status is None:
        return _UNREACHABLE
    if status >= 500:
        return _SERVER
    for want_status, want_method, fragment, text in _ADVICE:
        if status == want_status and want_method in (None, method) and fragment in route:
            return text
    return "GitLab refused the request"


def explain_gitlab_error(command: str, error: GitLabError) -> str:
    """`/testgen generate` failed: GitLab answered 403 Forbidden to `POST /projects/:id/…`: the
    bot's token cannot push …  (no traceback, no token: the route template, never the URL)."""
    call = f"`{error.method} {error.route}`" if error.method and error.route else "a GitLab call"
    if error.status is None:
        answered = f"{call} got no answer"
    else:
        name = _STATUS_NAMES.get(error.status, "")
        answered = f"GitLab answered {error.status} {name}".rstrip() + f" to {call}"
    message = error.message.strip()[:MAX_GITLAB_MESSAGE] if error.status is not None else ""
    said = f" (GitLab said: {user_text(message)})" if message else ""
    advice = _advice(error)
    return f"`/testgen {command}` failed: {answered}{said}. {advice[0].upper()}{advice[1:]}."


def config_error_markdown(branch: str, error: ConfigError) -> str:
    """`.testgen.yml` problems for a note: the YAML parser's message in a code block, or one
    bullet per invalid key."""
    where = f"`.testgen.yml` on {user_text(branch)}"
    if error.yaml_error is not None:
        longest = max((len(run) for run in _BACKTICKS.findall(error.yaml_error)), default=0)
        fence = "`" * max(3, longest + 1)
        block = f"{fence}text\n{error.yaml_error.strip()}\n{fence}"
        return f"{where} is not valid YAML, so nothing ran:\n\n{block}\n"
    problems = error.problems or [str(error)]
    bullets = "\n".join(f"- {user_text(problem)}" for problem in problems)
    return (
        f"{where} is invalid, so nothing ran:\n\n{bullets}\n\n"
        "Check it locally with `testgen config check .testgen.yml`.\n"
    )
