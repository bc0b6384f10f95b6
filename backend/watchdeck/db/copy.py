"""Bulk writes with PostgreSQL COPY, inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession


async def copy_rows(
    session: AsyncSession, table: str, columns: Sequence[str], rows: Sequence[tuple]
) -> None:
    """COPY `rows` into `table`; two orders of magnitude faster than row-by-row inserts."""
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    await raw.driver_connection.copy_records_to_table(  # type: ignore[union-attr]
        table, records=rows, columns=list(columns)
    )
