package io.pgturso.cli;

import io.pgturso.config.ConnectionSettings;
import io.pgturso.ops.PostgresReach;
import io.pgturso.source.Horizon;
import io.pgturso.source.TableRegistry;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.springframework.jdbc.core.JdbcTemplate;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/** The {@code plan} command: prints what a run would do, reading Postgres and (if it exists) the target, writing nothing. */
public final class PlanCommand {
    private PlanCommand() {
    }

    /** Prints the plan; true when no problem was found. */
    public static boolean run(CamelContext camel, PrintStream out) {
        Registry r = camel.getRegistry();
        ConnectionSettings settings = r.lookupByNameAndType("settings", ConnectionSettings.class);
        PostgresReach.check(settings);
        PlanReport report = new PlanReport(r.lookupByNameAndType("tables", TableRegistry.class),
                r.lookupByNameAndType("horizon", Horizon.class), new JdbcTemplate(r.lookupByNameAndType("source", DataSource.class)),
                target(settings, r.lookupByNameAndType("target", DataSource.class)));
        List<String> problems = report.print(out);
        return problems.isEmpty();
    }

    /** The target, read only: a file that does not exist is not opened (opening would create it). */
    private static PlanReport.PlanTarget target(ConnectionSettings settings, DataSource remote) {
        if (!settings.target().isFile()) {
            return PlanReport.reading("Turso server " + settings.target(), new JdbcTemplate(remote));
        }
        Path file = Path.of(settings.target().jdbcUrl().substring("jdbc:sqlite:".length()));
        if (!Files.exists(file)) {
            return PlanReport.reading("file " + file + " (does not exist yet: the first run creates it)", null);
        }
        SQLiteConfig readOnly = new SQLiteConfig();
        readOnly.setReadOnly(true);
        SQLiteDataSource sqlite = new SQLiteDataSource(readOnly);
        sqlite.setUrl(settings.target().jdbcUrl());
        return PlanReport.reading("file " + file, new JdbcTemplate(sqlite));
    }
}
