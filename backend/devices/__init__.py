"""Device sync health for managers and admins."""
