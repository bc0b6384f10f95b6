"""check kinds tcp, ping, dns and tls

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 09:00:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_KINDS = ("http", "push", "tcp", "ping", "dns", "tls")
_COLUMNS = (
    "host", "port", "ping_count", "loss_threshold_pct", "dns_record_type", "dns_server",
    "dns_expected", "dns_match", "last_figures",
)  # fmt: skip


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def upgrade() -> None:
    op.drop_constraint(op.f("ck_services_service_kind"), "services", type_="check")
    op.create_check_constraint("service_kind", "services", _one_of("kind", _KINDS))
    for column in (
        sa.Column("host", sa.String(length=255), nullable=True),
        sa.Column("port", sa.Integer(), nullable=True),
        sa.Column("ping_count", sa.SmallInteger(), server_default="3", nullable=False),
        sa.Column("loss_threshold_pct", sa.Float(), server_default="50", nullable=False),
        sa.Column("dns_record_type", sa.String(length=8), server_default="A", nullable=False),
        sa.Column("dns_server", sa.String(length=262), nullable=True),
        sa.Column(
            "dns_expected",
            postgresql.ARRAY(sa.String(length=500)),
            server_default="{}",
            nullable=False,
        ),
        sa.Column("dns_match", sa.String(length=32), server_default="any", nullable=False),
        sa.Column(
            "last_figures",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default="{}",
            nullable=False,
        ),
    ):
        op.add_column("services", column)
    op.create_check_constraint("dns_match", "services", _one_of("dns_match", ("any", "all")))


def downgrade() -> None:
    op.drop_constraint(op.f("ck_services_dns_match"), "services", type_="check")
    for name in _COLUMNS:
        op.drop_column("services", name)
    op.execute("DELETE FROM services WHERE kind NOT IN ('http', 'push')")
    op.drop_constraint(op.f("ck_services_service_kind"), "services", type_="check")
    op.create_check_constraint("service_kind", "services", _one_of("kind", ("http", "push")))
