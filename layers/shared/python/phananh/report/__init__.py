"""The report itself: model, lifecycle, deadlines, fields, personal data and the ports; imports no other context."""
