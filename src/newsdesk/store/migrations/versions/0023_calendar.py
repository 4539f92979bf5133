"""calendar_events: economic calendars' releases and events (models.CalendarEvent)

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

from newsdesk.store.schema import UTCDateTime

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if "calendar_events" in sa.inspect(op.get_bind()).get_table_names():
        return
    op.create_table(
        "calendar_events",
        sa.Column("source", sa.String(80), primary_key=True),
        sa.Column("event_id", sa.String(200), primary_key=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("country", sa.String(80), nullable=False),
        sa.Column("country_code", sa.String(8), nullable=False),
        sa.Column("stars", sa.SmallInteger, nullable=False),
        sa.Column("scheduled", UTCDateTime),
        sa.Column("link", sa.Text, nullable=False),
        *(sa.Column(name, sa.String(80), nullable=False) for name in ("actual", "forecast", "previous", "revised")),
        sa.Column("unit", sa.String(40), nullable=False),
        sa.Column("period", sa.String(80), nullable=False),
        sa.Column("released", sa.Boolean, nullable=False),
        sa.Column("updated", UTCDateTime, nullable=False),
    )
    op.create_index("ix_calendar_events_scheduled", "calendar_events", ["scheduled"])


def downgrade() -> None:
    op.drop_table("calendar_events")
