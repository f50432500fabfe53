package io.pgturso.libsql.jdbc;

import io.pgturso.libsql.hrana.RequestListener;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Request listeners by name, so that a pool that passes connection properties as text (the {@code requestListener}
 * property) can still give its connections a listener.
 */
public final class RequestListeners {

    private static final Map<String, RequestListener> BY_NAME = new ConcurrentHashMap<>();

    private RequestListeners() {
    }

    /** Registers the listener; returns the name to give as the {@code requestListener} connection property. */
    public static String register(RequestListener listener) {
        String name = "listener-" + UUID.randomUUID();
        BY_NAME.put(name, listener);
        return name;
    }

    /** Forgets the listener: connections opened later under its name are refused. */
    public static void unregister(String name) {
        BY_NAME.remove(name);
    }

    /** The listener of that name; {@link RequestListener#NONE} for null. */
    static RequestListener named(String name) throws SQLException {
        if (name == null) {
            return RequestListener.NONE;
        }
        RequestListener listener = BY_NAME.get(name);
        if (listener == null) {
            throw new SQLException("connection property requestListener names no registered listener: '" + name
                    + "'", "HY024");
        }
        return listener;
    }
}
