package io.pgturso;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.TestTarget;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The jar that {@code mvn package} ships, run as ops run it: {@code java -jar target/pg-turso-sync.jar} on a minimal config. */
@Timeout(180)
class ShippedJarIT {
    private static final Path JAR = Path.of(System.getProperty("project.dir", ".")).resolve("target/pg-turso-sync.jar");

    @TempDir
    Path dir;
    SyncHarness sync;

    /** What one run of the jar printed. */
    record Run(int exitCode, String out, String err) {
    }

    @BeforeEach
    void setUp() throws IOException {
        assertThat(JAR).as("built by mvn package").exists();
        sync = SyncHarness.create(dir, TestTarget.file(dir.resolve("data")));
        sync.pg().execute("CREATE TABLE orders (id int PRIMARY KEY, total numeric(10, 2), updated_at timestamptz NOT NULL DEFAULT now())");
        sync.pg().execute("CREATE INDEX ON orders (updated_at)");
        sync.pg().update("INSERT INTO orders (id, total) SELECT g, g / 4.0 FROM generate_series(1, 300) g");
    }

    @AfterEach
    void tearDown() {
        sync.close();
    }

    private void writeMinimalConfig(String... extraLines) throws IOException {
        List<String> lines = new ArrayList<>(List.of(
                "sync.source.url = " + sync.pgUrl(),
                "sync.target.url = file:data/target.db",
                "camel.route-template[orders].template-id = table-sync",
                "camel.route-template[orders].table = orders",
                "camel.route-template[orders].cursor = updated_at"));
        lines.addAll(List.of(extraLines));
        Files.write(dir.resolve("application.properties"), lines);
    }

    private ProcessBuilder jar(String... args) {
        return started(new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", JAR.toString())), args);
    }

    private ProcessBuilder started(List<String> command, String... args) {
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().put("PGUSER", "postgres");
        builder.environment().put("PGPASSWORD", "postgres");
        return builder;
    }

    private Run run(String... args) throws IOException, InterruptedException {
        return run(jar(args), args);
    }

    private Run run(ProcessBuilder started, String... args) throws IOException, InterruptedException {
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process process = started.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("java -jar " + String.join(" ", args) + " did not exit within 120 s");
        }
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void help_once_status_and_verify_work_from_the_jar() throws Exception {
        writeMinimalConfig();

        Run help = run("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("Usage: java -jar pg-turso-sync.jar");

        Run once = run("once");
        assertThat(once.exitCode()).as(once.err()).isZero();
        assertThat(once.out()).contains("orders: 300 rows written").contains("All 1 tables synced.");
        assertThat(once.err()).doesNotContain("WARN").doesNotContain("ERROR");

        Run status = run("status");
        assertThat(status.exitCode()).as(status.err()).isZero();
        assertThat(status.out()).containsPattern("orders\\s+timestamp\\s+orders\\s+0\\s+PT0S\\s+300\\s+0");

        Run verify = run("verify");
        assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
        assertThat(verify.out()).contains("orders: OK 300 rows");
    }

    @Test
    void the_class_data_archive_made_by_package_fits_the_jar() throws Exception {
        writeMinimalConfig();
        Path archive = JAR.resolveSibling("pg-turso-sync.jsa");
        assertThat(archive).as("made by mvn package").exists();

        // -Xshare:on refuses to start when the archive cannot be used (another jar, another JVM)
        Run status = run(started(new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:on", "-XX:SharedArchiveFile=" + archive, "-jar", JAR.toString())), "status"), "status");

        assertThat(status.exitCode()).as(status.err()).isZero();
        assertThat(status.out()).contains("orders");
    }

    @Test
    void the_launcher_runs_a_command_with_the_archive_and_the_flags_of_a_short_command() throws Exception {
        writeMinimalConfig();
        ProcessBuilder launcher = started(new ArrayList<>(List.of(Path.of(System.getProperty("project.dir", "."))
                .resolve("src/main/sh/pg-turso-sync").toAbsolutePath().toString())), "once");
        launcher.environment().put("PGTURSO_JAR", JAR.toAbsolutePath().toString());
        launcher.environment().put("JAVA_OPTS", "-Xmx256m -Xshare:on -XX:+PrintCommandLineFlags");
        launcher.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + System.getenv("PATH"));

        Run once = run(launcher, "once");

        assertThat(once.exitCode()).as(once.err()).isZero();
        assertThat(once.out()).contains("orders: 300 rows written").contains("-XX:TieredStopAtLevel=1");
    }

    @Test
    void the_launcher_run_from_a_checkout_starts_the_jar_and_archive_that_package_made() throws Exception {
        writeMinimalConfig();
        ProcessBuilder launcher = started(new ArrayList<>(List.of(Path.of(System.getProperty("project.dir", "."))
                .resolve("src/main/sh/pg-turso-sync").toAbsolutePath().toString())), "status");
        launcher.environment().remove("PGTURSO_JAR");
        // -Xshare:on: the start fails unless target/pg-turso-sync.jsa fits the jar the launcher found
        launcher.environment().put("JAVA_OPTS", "-Xshare:on");
        launcher.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + System.getenv("PATH"));

        Run status = run(launcher, "status");

        assertThat(status.exitCode()).as(status.out() + status.err()).isZero();
        assertThat(status.out()).contains("orders");
    }

    @Test
    void a_stale_or_broken_archive_beside_the_jar_only_costs_start_up_time() throws Exception {
        writeMinimalConfig();
        assertThat(run("once").exitCode()).isZero();
        Path jar = Files.copy(JAR, dir.resolve("pg-turso-sync.jar"));
        Path archive = dir.resolve("pg-turso-sync.jsa");
        byte[] made = Files.readAllBytes(JAR.resolveSibling("pg-turso-sync.jsa"));
        // the first was made for another jar (the one in target/), the second is cut short
        for (byte[] content : List.of(made, java.util.Arrays.copyOf(made, made.length / 3))) {
            Files.write(archive, content);
            ProcessBuilder launcher = started(new ArrayList<>(List.of(Path.of(System.getProperty("project.dir", "."))
                    .resolve("src/main/sh/pg-turso-sync").toAbsolutePath().toString())), "status");
            launcher.environment().put("PGTURSO_JAR", jar.toString());
            launcher.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + System.getenv("PATH"));

            Run status = run(launcher, "status");

            assertThat(status.exitCode()).as(status.err()).isZero();
            assertThat(status.out()).containsPattern("orders\\s+timestamp\\s+orders\\s+0\\s+PT0S\\s+300\\s+0")
                    .doesNotContainIgnoringCase("warning");
            assertThat(status.err()).isEmpty();
        }
    }

    @Test
    void run_serves_health_and_metrics() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        writeMinimalConfig("sync.schedule = 0/1 * * * * ?", "sync.http.port = " + port);
        Process process = jar("run").redirectErrorStream(true).redirectOutput(dir.resolve("run.log").toFile()).start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            URI metrics = URI.create("http://127.0.0.1:" + port + "/observe/metrics");
            await().atMost(Duration.ofSeconds(90)).ignoreExceptions().untilAsserted(() -> assertThat(
                    http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body())
                    .contains("pgturso_rows_written_total{table=\"orders\"} 300.0"));
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/health"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
            assertThat(health.body()).contains("\"name\":\"table:orders\",\"status\":\"UP\"");
        } finally {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        assertThat(Files.readString(dir.resolve("run.log"))).as("stops cleanly on SIGTERM").contains("shutdown in")
                .doesNotContain("ERROR");
    }
}
