"""Notifications: events -> outbox -> channels, and the scheduler (to come)."""
