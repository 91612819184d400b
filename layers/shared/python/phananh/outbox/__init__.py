"""The outbox: the side effects each change of a report calls for, read from the reports table's stream."""
