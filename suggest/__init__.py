"""Choosing posts worth a reply, drafting helpful replies, guarding against selling."""
