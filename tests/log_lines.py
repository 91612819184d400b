"""What our powertools logger writes, as the JSON lines Lambda would send to CloudWatch."""

import io
import json
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from phananh.shared.observability import logger


@contextmanager
def json_log_lines() -> Iterator[Callable[[], list[dict]]]:
    """Inside the block, a function that returns the lines written so far, each parsed."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logger.registered_formatter)  # the formatter of the lines in CloudWatch
    logger.addHandler(handler)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        logger.removeHandler(handler)
