package io.pgturso.tenant;

import io.pgturso.source.TableConfig;
import io.pgturso.source.TableRegistry;
import io.pgturso.source.TableSpec;
import java.time.Duration;
import java.util.List;

/** Every table with fan-out as Postgres maps it: the tables a new tenant database is created with (read again after a minute). */
public class FanOutTables {
    private static final long FRESH_NANOS = Duration.ofMinutes(1).toNanos();

    private final TableRegistry tables;
    private List<TableSpec> specs;
    private long readAt;

    public FanOutTables(TableRegistry tables) {
        this.tables = tables;
    }

    /** The tables with fan-out. */
    public synchronized List<TableSpec> specs() {
        if (specs == null || System.nanoTime() - readAt > FRESH_NANOS) {
            specs = tables.configs().stream().filter(TableConfig::fansOut).map(tables::spec).toList();
            readAt = System.nanoTime();
        }
        return specs;
    }

    /** The table configurations with fan-out. */
    public List<TableConfig> configs() {
        return tables.configs().stream().filter(TableConfig::fansOut).toList();
    }
}
