"""People who sign in, their roles per workspace, and API tokens."""
