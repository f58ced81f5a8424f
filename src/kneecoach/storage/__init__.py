"""Where kneecoach keeps things: SQLAlchemy Core on SQLite (default) or PostgreSQL."""
