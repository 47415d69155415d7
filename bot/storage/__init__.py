"""Storage: the schema (`schema`), its migrations (`migrations`) and the one database object of a
process (`database`)."""
from bot.storage.database import Database, DatabaseError, database_for, display_url, open_database, sqlite_url

__all__ = ["Database", "DatabaseError", "database_for", "display_url", "open_database", "sqlite_url"]
