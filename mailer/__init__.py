"""Layer 10, mailer: the SMTP sender (the only code that speaks SMTP: smtplib), beside the
generators and the watcher. It sends one EmailMessage at a time and says how a failure counts
— later (temporary) or never (permanent) — for pmokit/mail/delivery.py."""
