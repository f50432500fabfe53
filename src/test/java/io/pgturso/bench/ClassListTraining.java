package io.pgturso.bench;

import io.pgturso.testing.TursoServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes the classes the commands load (once, status, verify, plan; a file and a server target) as the class list that
 * mvn package archives for class-data sharing: the JVM's own list of each run, merged in order of first loading.
 */
final class ClassListTraining {
    private static final String HEADER = """
            # Classes the commands load (once, status, verify, plan; file and server targets), one a line, for the class-data
            # sharing archive that mvn package makes (target/pg-turso-sync.jsa) and the Dockerfile makes for its own JVM.
            # Made anew with: mvn -Pbench-cold -Dcds.classlist=src/main/cds/classes.lst
            """;

    private ClassListTraining() {
    }

    static void write(EmbeddedPostgres pg, Path dir, Path file) throws Exception {
        Set<String> classes = new LinkedHashSet<>();
        Path file1 = dir.resolve("file");
        ColdStartBenchmark.Configs.write(pg, file1, "file:data/target.db", "small");
        for (String command : List.of("once", "once", "status", "verify", "plan")) {
            classes.addAll(run(file1, command));
        }
        try (TursoServer server = TursoServer.start(dir.resolve("server.db"))) {
            Path remote = dir.resolve("server");
            ColdStartBenchmark.Configs.write(pg, remote, server.url(), "small");
            for (String command : List.of("once", "status", "verify")) {
                classes.addAll(run(remote, command));
            }
        }
        List<String> lines = new ArrayList<>(List.of(HEADER.strip().split("\n")));
        // proxies are named per run: the archive cannot find them again
        classes.stream().filter(c -> !c.startsWith("#") && !c.contains("$Proxy")).forEach(lines::add);
        Files.write(file, lines);
        System.out.printf("%d classes written to %s%n", lines.size() - 3, file);
    }

    private static List<String> run(Path dir, String command) throws Exception {
        Path list = dir.resolve(command + ".classlist");
        ColdStartBenchmark.mustSucceed(dir, List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:DumpLoadedClassList=" + list, "-jar", ColdStartBenchmark.launcherJar().toString(), command));
        return Files.readAllLines(list);
    }
}
