"""Alembic environment for the review workspace.

The workspace runs migrations itself when it opens (``vlr_tools.workspace``),
handing Alembic an open connection inside its own transaction, so the schema
change and the version stamp commit together or not at all. Running the
``alembic`` command line against a workspace is not supported.
"""

from __future__ import annotations

from alembic import context

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError(
        "the workspace migrations run from vlr_tools.workspace.open_workspace(), "
        "not from the alembic command line"
    )

context.configure(connection=connection, target_metadata=None)
with context.begin_transaction():
    context.run_migrations()
