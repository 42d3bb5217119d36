"""The HTTP edge: input checks, paging parameters, security headers and the PWA's files."""
