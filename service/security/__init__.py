"""Guards and signatures: the webhook SSRF guard and signed screening receipts."""
