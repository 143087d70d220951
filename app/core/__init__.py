"""Shared building blocks: model helpers, security, audit, mail, Markdown, formatting."""
