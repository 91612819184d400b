"""The escalation state machine: the EscalationStarter of phananh.report.ports."""

from __future__ import annotations

import json
from typing import Any

from phananh.adapters.aws.clients import client
from phananh.shared.settings import get_settings


class StepFunctionsEscalations:
    def start_escalation(self, name: str, payload: dict[str, Any]) -> bool:
        """Start one execution; False when one of that name exists already (a no-op)."""
        stepfunctions = client("stepfunctions")
        try:
            stepfunctions.start_execution(
                stateMachineArn=get_settings().escalation_state_machine_arn,
                name=name, input=json.dumps(payload, ensure_ascii=False, sort_keys=True),
            )
        except stepfunctions.exceptions.ExecutionAlreadyExists:
            return False
        return True
