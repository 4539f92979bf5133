"""Alembic environment: runs on the connection the store hands over."""

from alembic import context

from newsdesk.store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    if connection.dialect.name == "postgresql":
        # Several workers may start at once against one database: one migrates, the others wait.
        connection.exec_driver_sql("SELECT pg_advisory_xact_lock(7461001)")
    context.run_migrations()
