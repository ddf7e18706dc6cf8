"""Posting approved replies where the platform allows it and the account opted in."""
