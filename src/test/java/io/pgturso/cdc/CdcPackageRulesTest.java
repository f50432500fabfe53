package io.pgturso.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The change stream's rooms keep to themselves: the protocol reads bytes only (no JDBC, no driver, no Camel), the
 * plumbing knows no Camel, and nothing in them reaches into the app's other packages; only {@code cdc.apply}, where the
 * stream meets the sync, does.
 */
class CdcPackageRulesTest {
    private static final Path CDC = Path.of(System.getProperty("project.dir", "."), "src/main/java/io/pgturso/cdc");
    private static final Path APPLY = CDC.resolve("apply");
    private static final Pattern IMPORT = Pattern.compile("^import (static )?([\\w.]+)", Pattern.MULTILINE);

    private static List<String> imports(Path dir, boolean recursive) throws IOException {
        try (Stream<Path> files = recursive ? Files.walk(dir) : Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".java") && !f.startsWith(APPLY)).flatMap(f -> {
                try {
                    Matcher m = IMPORT.matcher(Files.readString(f));
                    return m.results().map(r -> f.getFileName() + ": " + r.group(2)).toList().stream();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).toList();
        }
    }

    @Test
    void the_protocol_reads_bytes_only() throws IOException {
        List<String> imports = imports(CDC.resolve("pgoutput"), true);
        assertThat(imports).isNotEmpty();
        assertThat(imports).noneMatch(i -> i.contains(": java.sql") || i.contains(": org.postgresql")
                || i.contains(": org.apache.camel") || i.contains(": io.pgturso.") && !i.contains(": io.pgturso.cdc.pgoutput"));
    }

    @Test
    void the_plumbing_knows_no_camel() throws IOException {
        List<String> imports = imports(CDC, false);
        assertThat(imports).isNotEmpty();
        assertThat(imports).noneMatch(i -> i.contains(": org.apache.camel"));
    }

    @Test
    void nothing_reaches_into_the_apps_other_packages() throws IOException {
        assertThat(imports(CDC, true)).filteredOn(i -> i.contains(": io.pgturso."))
                .allMatch(i -> i.contains(": io.pgturso.cdc") || i.contains(": io.pgturso.config."));
    }
}
