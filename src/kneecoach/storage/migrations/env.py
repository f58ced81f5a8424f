"""Alembic environment: always run from code, on a connection kneecoach opened."""

from alembic import context

from kneecoach.storage.tables import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
