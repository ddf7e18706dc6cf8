"""Reading posts (intent, topics, sentiment, keyphrases) and people (what they care about)."""
