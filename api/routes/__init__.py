"""Routes of the HTTP API, versioned under /v1."""
