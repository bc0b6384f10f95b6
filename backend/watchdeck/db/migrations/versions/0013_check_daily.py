"""daily sums of the hourly check rollups

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 19:25:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "check_daily",
        sa.Column("service_id", sa.Uuid(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("latency_sum", sa.Float(), nullable=True),
        sa.Column("timed", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("service_id", "day", name=op.f("pk_check_daily")),
    )
    # The days already rolled up by the hour.
    op.execute(
        "INSERT INTO check_daily (service_id, day, total, failures, latency_sum, timed)"
        " SELECT service_id, (hour AT TIME ZONE 'UTC')::date, sum(total), sum(failures),"
        " sum(latency_avg * total), sum(CASE WHEN latency_avg IS NULL THEN 0 ELSE total END)"
        " FROM check_hourly GROUP BY 1, 2"
    )


def downgrade() -> None:
    op.drop_table("check_daily")
