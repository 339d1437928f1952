package io.attune.core.error;

import org.springframework.amqp.AmqpConnectException;
import org.springframework.amqp.AmqpIOException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;

/**
 * The one place that tells what kind of failure a {@link Throwable} is. An outage is the database or the broker
 * being unreachable: nobody's fault, waited out. Everything else — a deadlock, a serialization failure, a statement
 * or lock timeout, a refused value, a defect — is a failure of the work at hand, to be retried a bounded number of
 * times at most.
 */
public final class Failures {
    private Failures() {
    }

    /** The database or the broker cannot be reached, or dropped the connection. */
    public static boolean isOutage(Throwable failure) {
        for (Throwable t = failure; t != null; t = next(t)) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                // the server's (or driver's) verdict decides: class 08 is the connection, 57P01-57P03 the server
                // going away, 53300 too many connections; 57014 (a cancelled statement), 40001 and 40P01 are not
                String state = sql.getSQLState();
                return state.startsWith("08") || state.startsWith("57P") || state.equals("53300")
                        || isConnectionFailure(sql);
            }
        }
        for (Throwable t = failure; t != null; t = next(t)) {
            if (t instanceof CannotGetJdbcConnectionException || t instanceof CannotCreateTransactionException
                    || t instanceof TransactionSystemException || isConnectionFailure(t)
                    || t instanceof AmqpConnectException || t instanceof AmqpIOException
                    || t instanceof java.net.ConnectException || t instanceof java.net.SocketException
                    || t instanceof java.io.EOFException
                    || t instanceof IOException && t.getClass().getName().startsWith("com.rabbitmq")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isConnectionFailure(Throwable t) {
        return t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                || t instanceof SQLRecoverableException;
    }

    private static Throwable next(Throwable t) {
        return t.getCause() == t ? null : t.getCause();
    }

    /**
     * The database gave up on this piece of work because of others (a deadlock, a serialization failure, a lock or
     * statement timeout): not an outage, but worth trying again soon.
     */
    public static boolean isContention(Throwable failure) {
        for (Throwable t = failure; t != null; t = next(t)) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                return state.equals("40001") || state.equals("40P01") || state.equals("55P03")
                        || state.equals("57014");
            }
        }
        return false;
    }

    /**
     * A value the database refused to store (SQLSTATE class 22, "data exception": U+0000 in a string, a number out
     * of range; class 54, "program limit exceeded": a value too large): no retry can store it.
     */
    public static boolean isUnstorableValue(Throwable failure) {
        for (Throwable t = failure; t != null; t = next(t)) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState().startsWith("22") || sql.getSQLState().startsWith("54");
            }
        }
        return false;
    }

    /** The database's message for a refused value, without the SQL around it. */
    public static String databaseMessage(Throwable failure) {
        for (Throwable t = failure; t != null; t = next(t)) {
            if (t instanceof SQLException sql) {
                String message = sql.getMessage() == null ? sql.getSQLState() : sql.getMessage();
                int newline = message.indexOf('\n');
                return newline < 0 ? message : message.substring(0, newline);
            }
        }
        return failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    }

    /** The innermost cause's message (or its class when it has none): what a log line about a failure should say. */
    public static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (next(root) != null) {
            root = next(root);
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
