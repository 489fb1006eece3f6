"""
The read API for HR information systems (`/api/v1/`), the top layer: it reads every app.

Read-only on purpose: requests are made, decided and placed in the application, where
the rules, the transition logs and the e-mails live; an HR system only reads what came
of them. Nothing of a synthesis, and never the ground of a priority, goes out.
"""
