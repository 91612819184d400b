"""Where moto behaves unlike AWS in a way our tests and demos would trip over, made right here.

DynamoDB isolates transactions; moto undoes a failed one by restoring copies of whole tables,
which also undoes a concurrent transaction that succeeded meanwhile (two officers resolving at
once could lose the winner's write). Running moto's transactions one at a time restores the
isolation DynamoDB gives.
"""

from __future__ import annotations

import threading
from functools import wraps

_transactions = threading.Lock()


def serialize_dynamodb_transactions() -> None:
    from moto.dynamodb.models import DynamoDBBackend

    transact = DynamoDBBackend.transact_write_items
    if getattr(transact, "serialized", False):
        return

    @wraps(transact)
    def one_at_a_time(self, *args, **kwargs):
        with _transactions:
            return transact(self, *args, **kwargs)

    one_at_a_time.serialized = True
    DynamoDBBackend.transact_write_items = one_at_a_time
