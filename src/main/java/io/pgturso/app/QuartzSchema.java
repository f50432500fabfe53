package io.pgturso.app;

import io.pgturso.source.Sql;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;
import org.quartz.impl.jdbcjobstore.JobStoreSupport;

/** Creates Quartz's job-store tables in their own schema, from the DDL that Quartz ships, unless they exist. */
final class QuartzSchema {
    /** The Postgres DDL inside the Quartz jar. */
    static final String DDL = "org/quartz/impl/jdbcjobstore/tables_postgres.sql";
    /** Serializes the first start of several processes at once (a transaction-scoped advisory lock). */
    private static final String CREATE_LOCK = "SELECT pg_advisory_xact_lock(1885828211, 0)";

    private QuartzSchema() {
    }

    /** Creates the schema and the tables in one transaction; returns false when they were there already. */
    static boolean create(DataSource database, String schema) throws SQLException {
        try (Connection c = database.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            try {
                s.execute(CREATE_LOCK);
                String quoted = Sql.quote(schema);
                boolean exists;
                try (PreparedStatement lookup = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
                    lookup.setString(1, quoted + ".qrtz_locks");
                    try (var rs = lookup.executeQuery()) {
                        rs.next();
                        exists = rs.getBoolean(1);
                    }
                }
                if (!exists) {
                    s.execute("CREATE SCHEMA IF NOT EXISTS " + quoted);
                    s.execute("SET LOCAL search_path TO " + quoted);
                    for (String statement : statements()) {
                        s.execute(statement);
                    }
                }
                c.commit();
                return !exists;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** The CREATE statements of Quartz's script (its DROP statements and COMMIT are left out). */
    static List<String> statements() {
        String script;
        try (InputStream in = JobStoreSupport.class.getClassLoader().getResourceAsStream(DDL)) {
            if (in == null) {
                throw new IllegalStateException("Quartz's DDL " + DDL + " is not on the classpath");
            }
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read Quartz's DDL " + DDL + ": " + e.getMessage(), e);
        }
        StringBuilder withoutComments = new StringBuilder();
        for (String line : script.split("\n")) {
            if (!line.trim().startsWith("--")) {
                withoutComments.append(line).append('\n');
            }
        }
        List<String> out = new ArrayList<>();
        for (String statement : withoutComments.toString().split(";")) {
            String sql = statement.trim();
            String upper = sql.toUpperCase(Locale.ROOT);
            if (upper.startsWith("CREATE ")) {
                out.add(sql);
            }
        }
        return out;
    }
}
