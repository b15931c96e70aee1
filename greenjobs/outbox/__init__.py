"""A transactional outbox: work a write must start later (mails, tasks) is stored with the write.

Publishing a task from `transaction.on_commit` loses it when the broker does not answer at that moment:
the write has committed, the task is gone, and the request answers 500. Here the task is a row written
in the caller's transaction; it is published right after the commit when the broker answers, and by
the relay (every minute, or `manage.py relay_outbox`) once it is back.
"""
