"""Every port a use case may reach, in one value: the apps pass the real adapters
(phananh.bootstrap.ports), tests pass in-memory fakes (tests/fakes.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from phananh.processing.ports import SignIns
    from phananh.report.ports import (
        ContactVault,
        EscalationStarter,
        IdempotencyStore,
        Notifier,
        PhotoStorage,
        RateLimitStore,
        ReportStore,
        ServerSecret,
        WorkQueues,
    )
    from phananh.routing.ports import DirectoryStore
    from phananh.transparency.ports import FollowStore, OpenDataFiles, ScorecardStore


@dataclass(frozen=True)
class Ports:
    reports: ReportStore
    directory: DirectoryStore
    claims: IdempotencyStore
    rate_limits: RateLimitStore
    scorecards: ScorecardStore
    contacts: ContactVault
    photos: PhotoStorage
    queues: WorkQueues
    notifier: Notifier
    escalations: EscalationStarter
    secret: ServerSecret
    sign_ins: SignIns
    open_data: OpenDataFiles
    follows: FollowStore
