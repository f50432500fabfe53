package io.pgturso.tenant;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The last few statements of one tenant file's connection, kept prepared: a page writes one small part into each of
 * many databases, and preparing the upsert again for every part cost more than writing its rows. A statement handed
 * out is given back by {@code close()} (its parameters and batch cleared); only one borrower uses the connection, and so
 * the statements, at a time. Not thread-safe: guarded by that loan.
 */
final class PreparedStatements {
    /** Statements kept per connection (a tenant part uses the upsert and the delete). */
    private static final int KEPT = 4;

    private final Map<String, PreparedStatement> kept = new LinkedHashMap<>(8, 0.75f, true);
    /** Kept statements in use now (by identity). */
    private final Set<PreparedStatement> lentOut = Collections.newSetFromMap(new IdentityHashMap<>());

    /**
     * The statement for {@code sql} on {@code connection}: the kept one, or a new one kept from now on. A statement lent
     * out already (a nested loan in the same thread) is not lent twice: the second borrower gets one of its own.
     */
    PreparedStatement prepare(Connection connection, String sql) throws SQLException {
        PreparedStatement ps = kept.get(sql);
        if (ps != null && lentOut.contains(ps)) {
            return connection.prepareStatement(sql);
        }
        if (ps == null || ps.isClosed()) {
            ps = connection.prepareStatement(sql);
            kept.put(sql, ps);
            if (kept.size() > KEPT) {
                var eldest = kept.entrySet().iterator().next();
                kept.remove(eldest.getKey());
                if (!lentOut.contains(eldest.getValue())) {
                    closeQuietly(eldest.getValue());
                }
            }
        }
        lentOut.add(ps);
        return lent(sql, ps);
    }

    /** The statement as lent: {@code close()} gives it back, cleared; a statement that cannot be cleared is dropped. */
    private PreparedStatement lent(String sql, PreparedStatement ps) {
        boolean[] closed = new boolean[1];
        return (PreparedStatement) Proxy.newProxyInstance(PreparedStatement.class.getClassLoader(),
                new Class<?>[] {PreparedStatement.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "close" -> {
                            if (!closed[0]) {
                                closed[0] = true;
                                giveBack(sql, ps);
                            }
                            return null;
                        }
                        case "isClosed" -> {
                            return closed[0] || ps.isClosed();
                        }
                        default -> {
                            try {
                                return method.invoke(ps, args);
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                        }
                    }
                });
    }

    private void giveBack(String sql, PreparedStatement ps) {
        lentOut.remove(ps);
        if (kept.get(sql) != ps) {
            closeQuietly(ps);
            return;
        }
        try {
            ps.clearBatch();
            ps.clearParameters();
        } catch (SQLException | RuntimeException e) {
            kept.remove(sql, ps);
            closeQuietly(ps);
        }
    }

    /** Closes every kept statement (before the connection is closed). */
    void close() {
        List<PreparedStatement> all = new ArrayList<>(kept.values());
        kept.clear();
        all.forEach(PreparedStatements::closeQuietly);
    }

    private static void closeQuietly(PreparedStatement ps) {
        try {
            ps.close();
        } catch (SQLException | RuntimeException e) {
            // closing: nothing is left to do with it
        }
    }
}
