"""The shell around the stages: web app (API + review UI), CLI, pipeline orchestration."""
