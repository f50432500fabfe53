package io.pgturso.sync;

import io.pgturso.config.ConfigException;
import java.util.Set;
import java.util.TreeSet;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/** Keeps a target table in step with Postgres: creates it, adds new columns; never drops or retypes. */
public class TargetSchema {
    private static final Logger LOG = LoggerFactory.getLogger(TargetSchema.class);

    private final JdbcTemplate target;

    public TargetSchema(JdbcTemplate target) {
        this.target = target;
    }

    /** Creates the table if missing and adds columns that Postgres has and the target lacks. */
    public void ensure(TableSpec spec) {
        Map<String, Integer> existing = columns(spec.targetTable());
        if (existing.isEmpty()) {
            target.execute(TargetSql.createTable(spec));
            LOG.info("{}: created target table {} ({} columns, key {})", spec.routeId(), spec.targetTable(),
                    spec.targetColumns().size(), spec.keyLabel());
            return;
        }
        // compared as sets: ON CONFLICT accepts the key columns in any order, and some servers number them all 1
        Set<String> targetKey = new TreeSet<>();
        existing.forEach((column, pk) -> {
            if (pk > 0) {
                targetKey.add(column);
            }
        });
        Set<String> expectedKey = new TreeSet<>(spec.key().stream().map(c -> c.target().toLowerCase(Locale.ROOT)).toList());
        if (!targetKey.equals(expectedKey)) {
            throw new ConfigException("Target table '" + spec.targetTable() + "' already exists with primary key "
                    + targetKey + " but the Postgres key is " + expectedKey
                    + ": drop or rename the target table, or set targetTable to another name");
        }
        for (ColumnSpec c : spec.targetColumns()) {
            if (!existing.containsKey(c.target().toLowerCase(Locale.ROOT))) {
                target.execute(TargetSql.addColumn(spec, c));
                LOG.info("{}: added column {} {} to target table {}", spec.routeId(), c.target(), c.kind().targetType(),
                        spec.targetTable());
            }
        }
    }

    /** Column name (lower case) to its position in the primary key (0 when not in it); empty if the table is missing. */
    private Map<String, Integer> columns(String table) {
        Map<String, Integer> out = new TreeMap<>();
        target.query("PRAGMA table_info(" + Sql.quote(table) + ")", rs -> {
            out.put(rs.getString("name").toLowerCase(Locale.ROOT), rs.getInt("pk"));
        });
        return out;
    }
}
