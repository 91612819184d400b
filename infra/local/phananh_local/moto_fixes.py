"""Where moto behaves unlike AWS in a way our tests and demos would trip over, made right here.

DynamoDB isolates transactions; moto undoes a failed one by restoring copies of whole tables,
which also undoes a concurrent transaction that succeeded meanwhile (two officers resolving at
once could lose the winner's write). Running moto's transactions one at a time restores the
isolation DynamoDB gives. The copies would also replace each table's stream, leaving its readers
(the local stream pollers) on a stream nobody writes to any more: the streams are kept.

Copying whole tables also makes each transaction cost as much as the tables hold, so a run of a
thousand reports slows down quadratically. Under the same lock, a transaction whose conditions all
hold is applied directly, keeping copies of the items it touches only; anything else (a condition
failing, a repeated key, an error while applying) goes to moto's own code, which answers with the
errors DynamoDB would give.

DynamoDB also applies the writes to one item one at a time, a condition checked with its write;
moto checks and writes in Python, so two threads can both pass a condition only one should (two
requests taking a bucket's last token). Single-item writes take the same lock.

moto also keeps every model instance it ever made (each item copy a scan or query returns, each
SQS message long after its deletion) in a list per class, for that dashboard: a stack under steady
load grew by about 1 % of its memory a minute. Those lists hold their instances weakly here, so the
dashboard still lists every live one and the rest is freed.

moto's dashboard (/moto-api/, which `make dev` advertises) lists every public attribute of every
model; reading `docker_client` on a Lambda function connects to Docker, and without Docker the
whole page answered 500 with a traceback in the terminal. Without Docker there is no client: it is
reported as a missing attribute, which the dashboard skips.
"""

from __future__ import annotations

import copy
import threading
import weakref
from collections.abc import Iterator
from functools import wraps
from typing import Any

# Reentrant: a transaction applies its items through the single-item writes.
_transactions = threading.RLock()
_SINGLE_ITEM_WRITES = ("put_item", "update_item", "delete_item")
_OPERATIONS = frozenset({"ConditionCheck", "Put", "Delete", "Update"})


def serialize_dynamodb_transactions() -> None:
    from moto.dynamodb.models import DynamoDBBackend

    transact = DynamoDBBackend.transact_write_items
    if getattr(transact, "serialized", False):
        return

    @wraps(transact)
    def one_at_a_time(self, transact_items, *args, **kwargs):
        with _transactions:
            if _apply_when_every_condition_holds(self, transact_items):
                return None
            return _keeping_the_streams(self, lambda: transact(self, transact_items, *args, **kwargs))

    one_at_a_time.serialized = True
    DynamoDBBackend.transact_write_items = one_at_a_time
    for name in _SINGLE_ITEM_WRITES:
        setattr(DynamoDBBackend, name, _under_the_lock(getattr(DynamoDBBackend, name)))


def _keeping_the_streams(backend: Any, transact: Any) -> Any:
    """Moto's own transaction, after which every table keeps its stream: undoing a failed one by
    restoring copied tables would give each a copied stream, and a reader's shard iterator (which
    holds the stream it was made for) would see no record written after it."""
    streams = {name: (table.stream_shard, len(table.stream_shard.items))
               for name, table in backend.tables.items() if getattr(table, "stream_shard", None) is not None}
    try:
        return transact()
    finally:
        for name, (shard, held) in streams.items():
            table = backend.tables.get(name)
            if table is not None and table.stream_shard is not shard:
                del shard.items[held:]  # what the undone writes recorded
                shard.table, table.stream_shard = table, shard


def _under_the_lock(write: Any) -> Any:
    @wraps(write)
    def one_write_at_a_time(*args: Any, **kwargs: Any) -> Any:
        with _transactions:
            return write(*args, **kwargs)

    return one_write_at_a_time


def docker_client_missing_without_docker() -> None:
    from docker.errors import DockerException
    from moto.utilities.docker_utilities import DockerModel

    connect = DockerModel.docker_client.fget
    if getattr(connect, "missing_without_docker", False):
        return

    @wraps(connect)
    def client_or_missing(self):
        try:
            return connect(self)
        except DockerException as error:
            raise AttributeError(f"no Docker to connect to: {error}") from error

    client_or_missing.missing_without_docker = True
    DockerModel.docker_client = property(client_or_missing)


def _apply_when_every_condition_holds(backend: Any, transact_items: list[dict[str, Any]]) -> bool:
    """Applies the transaction and returns True, or changes nothing and returns False."""
    from moto.dynamodb.comparisons import get_filter_expression

    if len(transact_items) > 100:
        return False
    operations = []
    keys_seen = set()
    for item in transact_items:
        if len(item) != 1:
            return False
        op_type, op = next(iter(item.items()))
        if op_type not in _OPERATIONS or op.get("TableName") not in backend.tables:
            return False
        table = backend.tables[op["TableName"]]
        if op_type == "Put":
            key = {table.hash_key_attr: op["Item"][table.hash_key_attr]}
            if table.range_key_attr is not None:
                key[table.range_key_attr] = op["Item"][table.range_key_attr]
        else:
            key = op["Key"]
        identity = (op["TableName"], str(sorted(key.items())))
        if identity in keys_seen:
            return False
        keys_seen.add(identity)
        current = backend.get_item(op["TableName"], key)
        condition = op.get("ConditionExpression")
        if condition is not None and not get_filter_expression(
            condition, op.get("ExpressionAttributeNames"), op.get("ExpressionAttributeValues")
        ).expr(current):
            return False
        operations.append((op_type, op, key, copy.deepcopy(current)))

    applied = []
    try:
        for op_type, op, key, before in operations:
            _apply(backend, op_type, op, key)
            applied.append((op["TableName"], key, before))
    except Exception:
        for table_name, key, before in reversed(applied):
            if before is None:
                backend.delete_item(table_name, key)
            else:
                backend.put_item(table_name, before.to_json()["Attributes"])
        return False
    return True


def _apply(backend: Any, op_type: str, op: dict[str, Any], key: dict[str, Any]) -> None:
    expression = {
        "condition_expression": op.get("ConditionExpression"),
        "expression_attribute_names": op.get("ExpressionAttributeNames"),
        "expression_attribute_values": op.get("ExpressionAttributeValues"),
    }
    if op_type == "Put":
        backend.put_item(op["TableName"], op["Item"], **expression)
    elif op_type == "Delete":
        backend.delete_item(op["TableName"], key, **expression)
    elif op_type == "Update":
        backend.update_item(op["TableName"], key, update_expression=op["UpdateExpression"], **expression)


class WeaklyTracked:
    """A model class's `instances_tracked`: appended to and iterated as moto does with its list,
    holding each instance weakly (strongly only an instance that cannot be weakly referenced)."""

    # Dead references are dropped once the list has grown by this many since it was last swept.
    _SWEEP_EVERY = 1024

    def __init__(self, instances: list[Any] = ()) -> None:
        self._references: list[Any] = []
        self._since_sweep = 0
        for instance in instances:
            self.append(instance)

    def append(self, instance: Any) -> None:
        try:
            self._references.append(weakref.ref(instance))
        except TypeError:
            self._references.append(lambda kept=instance: kept)
        self._since_sweep += 1
        if self._since_sweep >= self._SWEEP_EVERY:
            self._references = [reference for reference in self._references if reference() is not None]
            self._since_sweep = 0

    def __iter__(self) -> Iterator[Any]:
        return (instance for reference in list(self._references) if (instance := reference()) is not None)

    def __len__(self) -> int:
        return sum(1 for _ in self)


def track_model_instances_weakly() -> None:
    import moto.core.models
    from moto.core import common_models, model_instances

    def tracked_new(cls: type, *args: Any, **kwargs: Any) -> Any:
        instance = super(common_models.BaseModel, cls).__new__(cls)
        tracked = cls.__dict__.get("instances_tracked")
        if not isinstance(tracked, WeaklyTracked):
            tracked = WeaklyTracked(tracked or [])
            cls.instances_tracked = tracked
        tracked.append(instance)
        return instance

    def reset_weakly_tracked() -> None:
        for models in model_instances.model_data.values():
            for model in models.values():
                model.instances_tracked = WeaklyTracked()

    common_models.BaseModel.__new__ = tracked_new
    model_instances.reset_model_data = reset_weakly_tracked
    moto.core.models.reset_model_data = reset_weakly_tracked
