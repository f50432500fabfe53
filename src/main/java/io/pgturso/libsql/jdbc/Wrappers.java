package io.pgturso.libsql.jdbc;

import java.sql.SQLException;

/** The one {@code unwrap} of every class of the driver: none of them wraps another object. */
final class Wrappers {
    private Wrappers() {
    }

    /** {@code self} as {@code type}, or the SQLException that {@link java.sql.Wrapper#unwrap} requires. */
    static <T> T unwrap(Object self, Class<T> type) throws SQLException {
        if (type.isInstance(self)) {
            return type.cast(self);
        }
        throw new SQLException("not a wrapper for " + type.getName());
    }
}
