package io.pgturso.verify;

import io.pgturso.config.ConfigException;
import io.pgturso.sync.TableConfig;
import io.pgturso.sync.TableRegistry;
import java.io.PrintStream;
import java.util.List;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;

/** The {@code verify} command: compares every table (or one) and prints one line per table. */
public final class VerifyCommand {
    private VerifyCommand() {
    }

    /** Compares the tables; true when every table matches (dead-lettered rows apart, which are listed). */
    public static boolean run(CamelContext camel, String table, PrintStream out) {
        Registry r = camel.getRegistry();
        TableRegistry tables = r.lookupByNameAndType("tables", TableRegistry.class);
        TableComparison comparison = r.lookupByNameAndType("tableComparison", TableComparison.class);
        DataSource source = r.lookupByNameAndType("source", DataSource.class);
        DataSource target = r.lookupByNameAndType("target", DataSource.class);
        boolean allMatch = true;
        for (TableConfig config : selected(tables, table)) {
            ComparisonResult result = comparison.compare(tables.spec(config), source, target);
            VerifyReport.print(result, out);
            allMatch &= result.matchesApartFromDeadLetters();
        }
        return allMatch;
    }

    private static List<TableConfig> selected(TableRegistry tables, String table) {
        List<TableConfig> all = tables.configs();
        if (table == null) {
            return all;
        }
        List<TableConfig> matching = all.stream()
                .filter(c -> c.routeId().equals(table) || tables.spec(c).targetTable().equals(table)).toList();
        if (matching.isEmpty()) {
            throw new ConfigException("No table '" + table + "' (tables: " + all.stream().map(TableConfig::routeId).toList() + ")");
        }
        return matching;
    }
}
