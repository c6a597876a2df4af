package io.queues4j.sqlite;

import static java.util.Objects.requireNonNull;

import io.queues4j.spi.StoreException;
import java.nio.file.Path;
import java.sql.SQLException;
import org.jspecify.annotations.Nullable;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * A {@link SqliteStore} could not do what it was asked; the operation changed nothing. {@link
 * #reason()} tells why, {@link #file()} which database. A send that fails this way fails with an
 * {@link io.queues4j.QueueStorageException} that has this as its cause.
 */
public final class SqliteStoreException extends StoreException {
  private static final long serialVersionUID = 1L;

  /** Why an operation of a {@link SqliteStore} failed. */
  public enum Reason {
    /** The disk, or the store's {@code maxDatabaseSize}, is full; removing messages makes room. */
    DISK_FULL,
    /** The database cannot be written: a read-only file, directory or file system. */
    READ_ONLY,
    /** The file is not a database, or its content is damaged. */
    CORRUPT,
    /** The database file was deleted or replaced while the store had it open. */
    DELETED,
    /** Another store, in this or another process, holds the database. */
    LOCKED,
    /** The database was written by a newer version of queues4j, with a schema this one lacks. */
    NEWER_SCHEMA,
    /** The file is a SQLite database, but not one of queues4j's. */
    FOREIGN_DATABASE,
    /** The store is closed. */
    CLOSED,
    /** Any other failure of the file system or of SQLite. */
    IO
  }

  private final Reason reason;
  private final String file;

  /**
   * Creates the exception.
   *
   * @param reason why it failed
   * @param file the database file
   * @param message what failed, naming the file
   * @param cause the underlying failure, if any
   */
  SqliteStoreException(Reason reason, Path file, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.reason = requireNonNull(reason, "reason");
    this.file = file.toString();
  }

  /**
   * Returns why the operation failed.
   *
   * @return the reason
   */
  public Reason reason() {
    return reason;
  }

  /**
   * Returns the database file concerned.
   *
   * @return its path
   */
  public Path file() {
    return Path.of(file);
  }

  /** Translates a SQLite failure of {@code operation} on {@code file}. */
  static SqliteStoreException of(Path file, String operation, Throwable failure) {
    if (failure instanceof SqliteStoreException e) {
      return e;
    }
    Reason reason = reasonOf(failure);
    String detail = switch (reason) {
      case DISK_FULL -> "the disk or the database's size limit is full";
      case READ_ONLY -> "the database is read-only";
      case CORRUPT -> "the file is not a database or is damaged";
      default -> "it failed";
    };
    return new SqliteStoreException(reason, file,
        "SQLite store " + file + ": could not " + operation + ": " + detail + " ("
            + failure.getMessage() + ")", failure);
  }

  private static Reason reasonOf(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SQLiteException e) {
        return reasonOf(e.getResultCode());
      }
      if (t instanceof SQLException e && e.getErrorCode() > 0) {
        return reasonOf(SQLiteErrorCode.getErrorCode(e.getErrorCode()));
      }
    }
    return Reason.IO;
  }

  private static Reason reasonOf(SQLiteErrorCode code) {
    int primary = code.code & 0xFF;
    if (primary == SQLiteErrorCode.SQLITE_FULL.code) {
      return Reason.DISK_FULL;
    }
    if (primary == SQLiteErrorCode.SQLITE_READONLY.code) {
      return Reason.READ_ONLY;
    }
    if (primary == SQLiteErrorCode.SQLITE_CORRUPT.code
        || primary == SQLiteErrorCode.SQLITE_NOTADB.code) {
      return Reason.CORRUPT;
    }
    return Reason.IO;
  }
}
