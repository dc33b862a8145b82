"""Layer 8, mail (to come, with issue 16): email content as pure data — which message goes to
whom, composed as stdlib EmailMessage objects from templates (receipts, the Tuesday submission
status, the briefing, reminders). May import reports and everything below; never smtplib (the
sender is an adapter)."""
