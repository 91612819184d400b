"""Taking a report in from an anonymous citizen: submission rules, filing, rate limits and tracking tokens."""
