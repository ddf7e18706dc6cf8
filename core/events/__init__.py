"""Lifecycle events for webhooks: versioned payloads and the outbox they are written to.

Any stage records an event with `outbox.record(session, …)` inside the transaction that made it
happen (a decision, a new suggestion, an account losing its token): the delivery rows commit or
roll back with it. Sending them is the job of `service.webhooks`.
"""
