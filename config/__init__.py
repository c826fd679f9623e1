"""Configuration from the environment, and the keys it names, loaded once at start-up."""
