"""What happens when work is late or due: the deadline sweeper, scheduled jobs, alerts and reporter notices."""
