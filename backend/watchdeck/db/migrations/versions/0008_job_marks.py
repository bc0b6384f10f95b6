"""job marks: an ingest job run again after its worker died stores nothing twice

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 17:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "job_marks",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column(
            "done_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_job_marks")),
    )


def downgrade() -> None:
    op.drop_table("job_marks")
