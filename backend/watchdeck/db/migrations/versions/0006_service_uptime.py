"""each service's 24 h uptime, kept with the rollups

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24 11:05:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "service_uptime",
        sa.Column("service_id", sa.Uuid(), nullable=False),
        sa.Column("uptime_24h", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["services.id"],
            name=op.f("fk_service_uptime_service_id_services"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("service_id", name=op.f("pk_service_uptime")),
    )
    op.execute(
        "INSERT INTO service_uptime (service_id, uptime_24h)"
        " SELECT service_id, (sum(total) - sum(failures))::float / nullif(sum(total), 0)"
        " FROM check_hourly WHERE hour >= date_trunc('hour', now()) - interval '23 hours'"
        " GROUP BY service_id"
    )


def downgrade() -> None:
    op.drop_table("service_uptime")
