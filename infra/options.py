"""A deployment's choices, read from CDK context (``-c name=value``) and checked in one place.

Every value has a default that a lab can deploy as it is; ``make deploy STAGE=...`` passes the
stage, and ``CDK_ARGS='-c name=value ...'`` any other. Values given on the command line arrive
as strings, those in cdk.json as JSON: both are accepted.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, fields

from chalicelib.config import Settings, SettingsError

# Lambda's default concurrency quota per account and region. Lambda always keeps at least 100
# of it unreserved, for every function without a reservation.
DEFAULT_ACCOUNT_CONCURRENCY = 1000
LAMBDA_MIN_UNRESERVED = 100
# A lab's stage and a trial one share an account: each reserves 300 for its worker, and the
# 400 left hold both APIs' bursts of 200. A stage alone in its account can reserve 800.
DEFAULT_STAGES_IN_ACCOUNT = 2
DEFAULT_WORKER_CONCURRENCY = 300
STAGE_NAME = re.compile(r"[a-z][a-z0-9-]{0,19}")
ORIGIN = re.compile(r"(?P<scheme>https?)://(?P<host>\[[^\]/\s]+\]|[^:/\s]+)(:\d+)?")
# A browser on the developer's own machine: a cloud stage trusts it only when told to, since
# any program there could serve a page at that origin and use the stage's sign-in.
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "[::1]")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
# The retention periods CloudWatch Logs accepts (PutRetentionPolicy's retentionInDays).
LOG_RETENTION_DAYS = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096)
LOG_RETENTION_DAYS += (1827, 2192, 2557, 2922, 3288, 3653)


class OptionError(ValueError):
    """A context value the stack cannot be built with; the message names it and why."""


@dataclass(frozen=True)
class StageOptions:
    """What one deployment of the stack may choose.

    ``worker_concurrency`` is the worker's reserved concurrency (None: none reserved, for an
    account whose quota is too small to reserve any); ``account_concurrency`` is the account's
    Lambda quota in the region and ``stages_in_account`` how many stages share it (each with
    these settings), which the arithmetic in :meth:`check` needs. The APIs share the unreserved
    rest with the sweepers: it must hold every stage's API burst.
    """

    stage: str = "prod"
    ui_origin: str | None = None
    allow_localhost_ui: bool = False
    host_ui: bool = True
    worker_concurrency: int | None = DEFAULT_WORKER_CONCURRENCY
    stages_in_account: int = DEFAULT_STAGES_IN_ACCOUNT
    account_concurrency: int = DEFAULT_ACCOUNT_CONCURRENCY
    api_rate_limit: int = 100
    api_burst_limit: int = 200
    log_retention_days: int = 30
    alarm_email: str | None = None
    auth_domain_prefix: str | None = None
    max_upload_bytes: int = Settings.max_upload_bytes

    def __post_init__(self) -> None:
        self.check()

    @property
    def unreserved_concurrency(self) -> int:
        """What the account keeps unreserved once every stage's worker has its reservation."""
        return self.account_concurrency - self.stages_in_account * (self.worker_concurrency or 0)

    @property
    def unreserved_needed(self) -> int:
        """Lambda's minimum, or every stage's API burst at once if that is more."""
        return max(LAMBDA_MIN_UNRESERVED, self.stages_in_account * self.api_burst_limit)

    def check(self) -> None:
        if self.stage == "local" or not STAGE_NAME.fullmatch(self.stage):
            raise OptionError(
                f"stage {self.stage!r} must be 1-20 lowercase letters, digits or '-', starting "
                "with a letter, and not 'local' (the laptop's stage)"
            )
        if self.ui_origin is not None:
            self._check_ui_origin(self.ui_origin)
        if not self.host_ui and self.ui_origin is None:
            raise OptionError(
                "with host_ui=false the UI is served elsewhere: pass -c ui_origin=<its origin>"
            )
        if self.worker_concurrency is not None and self.worker_concurrency < 1:
            raise OptionError(
                f"worker_concurrency {self.worker_concurrency} would stop every render: give 1 "
                "or more, or 'none' to reserve nothing"
            )
        if self.stages_in_account < 1:
            raise OptionError(
                f"stages_in_account {self.stages_in_account} must count this stage: 1 or more"
            )
        if self.worker_concurrency is not None and self.unreserved_concurrency < (
            self.unreserved_needed
        ):
            fits = (self.account_concurrency - self.unreserved_needed) // self.stages_in_account
            raise OptionError(
                f"worker_concurrency {self.worker_concurrency} in each of "
                f"{self.stages_in_account} stages (stages_in_account) leaves "
                f"{self.unreserved_concurrency} of account_concurrency "
                f"{self.account_concurrency} unreserved: Lambda keeps at least "
                f"{LAMBDA_MIN_UNRESERVED}, and {self.stages_in_account} API bursts of "
                f"{self.api_burst_limit} requests must fit in it; "
                + (f"give worker_concurrency {fits} or less" if fits >= 1 else "give 'none'")
            )
        if not 0 < self.api_rate_limit <= self.api_burst_limit:
            raise OptionError(
                f"api_rate_limit {self.api_rate_limit} must be positive and at most "
                f"api_burst_limit {self.api_burst_limit}"
            )
        if self.log_retention_days not in LOG_RETENTION_DAYS:
            raise OptionError(
                f"log_retention_days {self.log_retention_days} is not one CloudWatch offers: "
                f"one of {', '.join(map(str, LOG_RETENTION_DAYS))}"
            )
        if self.alarm_email is not None and not EMAIL.fullmatch(self.alarm_email):
            raise OptionError(f"alarm_email {self.alarm_email!r} is not an email address")
        try:
            Settings.from_environ({"MAX_UPLOAD_BYTES": str(self.max_upload_bytes)})
        except SettingsError as refused:  # the functions would refuse it at their first request
            raise OptionError(f"max_upload_bytes: {refused}") from None

    def _check_ui_origin(self, origin: str) -> None:
        match = ORIGIN.fullmatch(origin)
        if not match:
            raise OptionError(
                f"ui_origin {origin!r} must be an origin: https://host[:port], no path"
            )
        if match["host"].lower() in LOOPBACK_HOSTS:
            if not self.allow_localhost_ui:
                raise OptionError(
                    f"ui_origin {origin!r} is this machine's: a cloud stage trusts a UI served "
                    "from localhost only for development, with -c allow_localhost_ui=true"
                )
        elif match["scheme"] != "https":
            raise OptionError(
                f"ui_origin {origin!r} must be https: the page receives the user's sign-in "
                "tokens, which plain http would show to the network"
            )

    @classmethod
    def from_context(cls, get: Callable[[str], object]) -> StageOptions:
        """The options from CDK context: ``get`` is ``app.node.try_get_context``."""
        values = {}
        for field in fields(cls):
            raw = get(field.name)
            if raw is None:
                continue
            values[field.name] = _parse(field.name, raw, field.default)
        return cls(**values)


def _parse(name: str, raw: object, default: object) -> object:
    text = str(raw).strip()
    if isinstance(default, bool):
        if text.lower() not in ("true", "false"):
            raise OptionError(f"{name} must be true or false, not {text!r}")
        return text.lower() == "true"
    if isinstance(default, int):
        if name == "worker_concurrency" and text.lower() == "none":
            return None
        try:
            return int(text)
        except ValueError:
            raise OptionError(f"{name} must be a whole number, not {text!r}") from None
    return text or None
