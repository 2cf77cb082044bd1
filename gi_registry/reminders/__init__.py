"""Reminders that reach people: contacts and consent, a transactional outbox, a scheduler and a sender."""
