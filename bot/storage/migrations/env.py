"""Alembic's entry point: migrate on the connection `bot.storage.migrations.upgrade` hands over,
or (for `alembic revision --autogenerate`) on the URL in alembic.ini."""
from alembic import context
from sqlalchemy import create_engine

from bot.storage.schema import metadata


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Leave alone what the schema does not describe: Rasa's tables, the full-text search table."""
    if type_ == "table":
        return name in metadata.tables and not metadata.tables[name].info.get("created_by_migration")
    return True


def run(connection) -> None:
    context.configure(connection=connection, target_metadata=metadata, include_object=include_object,
                      render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


given = context.config.attributes.get("connection")
if given is not None:
    run(given)
else:
    with create_engine(context.config.get_main_option("sqlalchemy.url"), future=True).begin() as connection:
        run(connection)
