package io.pgturso.verify;

import io.pgturso.source.ColumnSpec;
import io.pgturso.source.TableSpec;
import io.pgturso.target.DeadLetter;
import io.pgturso.target.DeadLetterStore;
import io.pgturso.transform.RowKey;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/** The keys of a table's open dead letters, converted from Postgres text to the form the target stores. */
public final class DeadLetterKeys {
    /** The dead-letter table, kept in the target (see DeadLetterStore). */
    private static final String TABLE = io.pgturso.target.DeadLetterStore.TABLE;

    private DeadLetterKeys() {
    }

    /** The table's dead-lettered keys; none when the target has no dead-letter table yet. */
    static Set<ComparedKey> of(TableSpec spec, DataSource target) throws SQLException {
        if (!TargetTables.exists(target, TABLE)) {
            return Set.of();
        }
        Set<ComparedKey> keys = new HashSet<>();
        for (DeadLetter letter : new DeadLetterStore(new JdbcTemplate(target)).list(spec.targetTable())) {
            try {
                keys.add(convert(spec, RowKey.parse(letter.key())));
            } catch (RuntimeException e) {
                // a key written under another key definition: it cannot match any row now
            }
        }
        return keys;
    }

    /** A key as Postgres text values, in the form the target stores it. */
    public static ComparedKey convert(TableSpec spec, RowKey key) {
        List<Object> values = new ArrayList<>();
        for (ColumnSpec c : spec.key()) {
            String text = key.values().get(c.source());
            values.add(text == null ? null : Values.normalise(c.kind(), switch (c.kind()) {
                case INTEGER -> Long.parseLong(text);
                case BOOLEAN -> text.startsWith("t") ? 1L : 0L;
                case REAL, NUMERIC_REAL -> Double.parseDouble(text);
                case BLOB -> HexFormat.of().parseHex(text.substring(2));
                default -> c.kind().toTarget(text);
            }));
        }
        return new ComparedKey(values);
    }
}
