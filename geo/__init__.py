"""Geocoding, travel-time matrices, time windows and route planning (pure core is import-light)."""
