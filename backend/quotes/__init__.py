"""Pricing and the quote PDF: pure Python (standard library and reportlab) for server and device."""
