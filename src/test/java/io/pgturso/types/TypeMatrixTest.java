package io.pgturso.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgturso.testing.CdcTesting;
import io.pgturso.testing.LogicalPostgres;
import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.TestTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Every Postgres type the README's type table lists, with edge values, synced into both targets and read back
 * independently of the driver under test (sqlite-jdbc on the target's database file, the server stopped first): each
 * value is exact, or refused (dead-lettered), or changed exactly as a line of the README's type table says.
 */
class TypeMatrixTest {
    /** How a case's value lands. */
    enum Outcome { EXACT, NORMALISED, REFUSED }

    /** One value of one type; {@code doc} is the README text that documents a normalisation or refusal. */
    record Case(String type, String literal, Outcome outcome, String storage, Object stored, String doc) {
    }

    private static Case exact(String type, String literal, String storage, Object stored) {
        return new Case(type, literal, Outcome.EXACT, storage, stored, null);
    }

    private static Case normalised(String type, String literal, String storage, Object stored, String doc) {
        return new Case(type, literal, Outcome.NORMALISED, storage, stored, doc);
    }

    private static Case refused(String type, String literal, String doc) {
        return new Case(type, literal, Outcome.REFUSED, null, null, doc);
    }

    static final List<Case> CASES = List.of(
            exact("smallint", "-32768", "integer", -32768L),
            exact("integer", "2147483647", "integer", 2147483647L),
            exact("bigint", "-9223372036854775808", "integer", Long.MIN_VALUE),
            exact("oid", "4294967295", "integer", 4294967295L),
            exact("double precision", "0.1", "real", 0.1),
            exact("double precision", "4.9e-324", "real", Double.MIN_VALUE),
            exact("double precision", "2.225073858507201e-308", "real", 2.225073858507201e-308),
            exact("double precision", "1.7976931348623157e308", "real", Double.MAX_VALUE),
            exact("double precision", "3.4028234663852886e38", "real", 3.4028234663852886e38),
            exact("double precision", "-7.689360648712262e-23", "real", -7.689360648712262e-23),
            exact("double precision", "0.30000000000000004", "real", 0.30000000000000004),
            exact("double precision", "'Infinity'", "real", Double.POSITIVE_INFINITY),
            exact("double precision", "'-Infinity'", "real", Double.NEGATIVE_INFINITY),
            normalised("double precision", "'-0'", "real", 0.0, "`-0.0` is stored as `0`"),
            refused("double precision", "'NaN'", "NaN is refused"),
            exact("real", "0.1", "real", 0.1),
            exact("real", "3.4028235e38", "real", 3.4028235e38),
            exact("real", "1e-45", "real", 1e-45),
            exact("real", "'-Infinity'", "real", Double.NEGATIVE_INFINITY),
            exact("numeric", "12.5000", "text", "12.5000"),
            exact("numeric", "-123456789012345678901234567890.123456789", "text", "-123456789012345678901234567890.123456789"),
            exact("numeric", "'NaN'", "text", "NaN"),
            exact("numeric", "'Infinity'", "text", "Infinity"),
            normalised("boolean", "true", "integer", 1L, "INTEGER 0/1"),
            normalised("boolean", "false", "integer", 0L, "INTEGER 0/1"),
            exact("bytea", "'\\x00ff10'", "blob", new byte[] {0, (byte) 0xff, 0x10}),
            exact("bytes2", "'\\x00ff'", "blob", new byte[] {0, (byte) 0xff}),
            exact("text", "'héllo ✓ 😀'", "text", "héllo ✓ 😀"),
            exact("text", "''", "text", ""),
            exact("varchar(5)", "'ab'", "text", "ab"),
            exact("char(4)", "'ab'", "text", "ab  "),
            exact("inet", "'10.0.0.1'", "text", "10.0.0.1"),
            exact("inet", "'10.0.0.0/8'", "text", "10.0.0.0/8"),
            exact("cidr", "'10.0.0.0/8'", "text", "10.0.0.0/8"),
            exact("uuid", "'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'", "text", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"),
            exact("mood", "'happy'", "text", "happy"),
            exact("json", "'{\"b\":1, \"a\":[1,2.50]}'", "text", "{\"b\":1, \"a\":[1,2.50]}"),
            exact("jsonb", "'{\"b\":1, \"a\":[1,2.50]}'", "text", "{\"a\": [1, 2.50], \"b\": 1}"),
            normalised("timestamptz", "'2024-05-01 12:00:00.123456+02'", "text", "2024-05-01T10:00:00.123456Z",
                    "ISO-8601 UTC, always 6 fraction digits"),
            exact("timestamptz", "'infinity'", "text", "infinity"),
            refused("timestamptz", "'10000-01-01 00:00:00+00'", "years after 9999"),
            refused("timestamptz", "'9999-12-31 23:00:00-02'", "years after 9999"),
            refused("timestamptz", "'0001-01-01 00:00:00+00 BC'", "dates before year 1 are refused"),
            normalised("timestamp", "'2024-05-01 10:00:00.5'", "text", "2024-05-01T10:00:00.500000", "ISO-8601 without zone"),
            exact("date", "'2024-02-29'", "text", "2024-02-29"),
            refused("date", "'10000-01-01'", "years after 9999"),
            exact("time", "'10:00:00.123456'", "text", "10:00:00.123456"),
            exact("timetz", "'10:00:00+02'", "text", "10:00:00+02"),
            normalised("interval", "'1 day 2 hours'", "text", "P1DT2H", "intervals in ISO-8601"),
            normalised("text[]", "'{a,\"b c\",NULL}'", "text", "[\"a\",\"b c\",null]", "TEXT (JSON array; multi-dimensional arrays nest"),
            normalised("int[]", "'{{1,2},{3,4}}'", "text", "[[1,2],[3,4]]", "TEXT (JSON array; multi-dimensional arrays nest"),
            normalised("int[]", "'[0:1]={1,2}'", "text", "[1,2]", "lower bounds are dropped"),
            normalised("float8[]", "'{NaN,Infinity,1.5}'", "text", "[\"NaN\",\"Infinity\",1.5]", "JSON strings `\"NaN\"`"),
            normalised("timestamptz[]", "'{\"2024-05-01 12:00:00+02\",infinity}'", "text",
                    "[\"2024-05-01T10:00:00.000000Z\",\"infinity\"]", "elements as the scalar type"),
            normalised("money", "'1234.5'", "text", "1234.50", "its exact decimal value"),
            exact("int4range", "'[1,5)'", "text", "[1,5)"),
            exact("tstzrange", "'[2024-01-01 00:00:00+00,)'", "text", "[\"2024-01-01 00:00:00+00\",)"),
            exact("xml", "'<a x=\"1\"/>'", "text", "<a x=\"1\"/>"),
            exact("bit(3)", "B'101'", "text", "101"),
            exact("point", "'(1,2)'", "text", "(1,2)"));

    @TempDir
    Path dir;

    /**
     * Each target; and the file target with Postgres sending every value in its binary format from the first page
     * ({@code file-binary}): Postgres' driver switches a statement it has run five times on a connection to binary,
     * so the later pages of a pass are read that way, and a value must land the same whichever way it came. And
     * {@code -cdc}: the rows inserted once the table streams, so that every value comes from Postgres' change stream.
     */
    @ParameterizedTest
    @ValueSource(strings = {"file", "turso", "libsql", "file-binary", "file-cdc", "libsql-cdc"})
    @Timeout(180)
    void every_value_lands_exact_refused_or_as_documented(String targetKind) throws Exception {
        SyncHarness.CliResult verify;
        TestTarget target = target(targetKind);
        Path file = dir.resolve(targetFile(targetKind));
        boolean cdc = targetKind.endsWith("-cdc");
        try (SyncHarness sync = cdc ? SyncHarness.create(dir, target, LogicalPostgres.get().asTestPostgres())
                : SyncHarness.create(dir, target)) {
            binaryFromPostgres(sync, targetKind);
            JdbcTemplate pg = sync.pg();
            pg.execute("SET TimeZone = 'UTC'");
            pg.execute("CREATE TYPE mood AS ENUM ('sad', 'happy')");
            pg.execute("CREATE DOMAIN bytes1 AS bytea");
            pg.execute("CREATE DOMAIN bytes2 AS bytes1");
            StringBuilder ddl = new StringBuilder("CREATE TABLE matrix (id int PRIMARY KEY");
            for (int i = 0; i < CASES.size(); i++) {
                ddl.append(", c").append(i).append(' ').append(CASES.get(i).type());
            }
            pg.execute(ddl.append(')').toString());
            String slot = CdcTesting.uniqueSlot();
            if (cdc) {
                CdcTesting.streaming(sync, slot).table("matrix", "table=matrix", "mode=cdc");
                CdcTesting.startStreaming(sync);
            }
            for (int i = 0; i < CASES.size(); i++) {
                pg.update("INSERT INTO matrix (id, c" + i + ") VALUES (" + i + ", " + CASES.get(i).literal() + ")");
            }
            if (cdc) {
                await().atMost(Duration.ofSeconds(60)).until(() -> sync.target().queryForObject("SELECT (SELECT count(*) FROM "
                        + "matrix) + (SELECT count(*) FROM pgturso_dead_letters)", Long.class) == CASES.size());
            } else {
                sync.table("matrix", "table=matrix", "mode=full");
                sync.start();
                sync.runOnce("matrix");
            }
            sync.stop();
            verify = sync.cli("verify");
            if (cdc) {
                CdcTesting.dropSlot(pg, slot);
            }
        } finally {
            target.close();
        }

        String readme = Files.readString(Path.of(System.getProperty("project.dir", ".")).resolve("README.md"));
        Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
        List<String> failures = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            Set<Integer> deadLettered = new HashSet<>();
            try (ResultSet rs = st.executeQuery("SELECT row_key, stage FROM pgturso_dead_letters WHERE sync_table = 'matrix'")) {
                while (rs.next()) {
                    deadLettered.add(Integer.parseInt(rs.getString(1).replaceAll("\\D", "")));
                }
            }
            for (int i = 0; i < CASES.size(); i++) {
                Case k = CASES.get(i);
                String label = "case " + i + " " + k.type() + " " + k.literal() + ": ";
                if (k.doc() != null && !readme.contains(k.doc())) {
                    failures.add(label + "README does not say \"" + k.doc() + "\"");
                }
                try (ResultSet rs = st.executeQuery("SELECT typeof(c" + i + "), c" + i + " FROM matrix WHERE id = " + i)) {
                    boolean present = rs.next();
                    if (k.outcome() == Outcome.REFUSED) {
                        if (present || !deadLettered.contains(i)) {
                            failures.add(label + "expected refused (dead-lettered, not copied)");
                        }
                    } else if (!present) {
                        failures.add(label + "row missing" + (deadLettered.contains(i) ? " (dead-lettered)" : ""));
                    } else {
                        String storage = rs.getString(1);
                        Object value = switch (storage) {
                            case "real" -> rs.getDouble(2);
                            case "integer" -> rs.getLong(2);
                            case "blob" -> rs.getBytes(2);
                            default -> rs.getString(2);
                        };
                        if (!storage.equals(k.storage()) || !same(k.stored(), value)) {
                            failures.add(label + "expected " + k.storage() + " " + show(k.stored()) + ", got " + storage + " " + show(value));
                        }
                    }
                }
                counts.merge(k.outcome(), 1, Integer::sum);
            }
        }
        System.out.println("Type matrix (" + targetKind + "): " + CASES.size() + " cases, " + counts);
        assertThat(CASES).hasSizeGreaterThanOrEqualTo(40);
        assertThat(failures).isEmpty();
        // over HTTP too: verify reads a -Infinity as such although the server's JSON writes every infinity as null
        assertThat(verify.exitCode()).as("verify agrees with the type mapping: " + verify.out()).isZero();
        assertThat(verify.out()).contains("OK " + CASES.size() + " rows, apart from " + counts.get(Outcome.REFUSED) + " dead-lettered");
    }

    @ParameterizedTest
    @ValueSource(strings = {"file", "turso", "libsql", "file-binary"})
    @Timeout(180)
    void thousands_of_random_doubles_land_bit_exact(String targetKind) throws Exception {
        java.util.Random random = new java.util.Random(42);
        List<Double> values = new ArrayList<>(List.of(Math.nextUp(1.0), Math.nextDown(1.0), Math.nextUp(0.1), 1e23,
                Math.nextDown(1e23), 2.2250738585072011e-308, 2.2250738585072012e-308, 5e-324, Math.nextUp(5e-324)));
        while (values.size() < 3000) {
            double d = Double.longBitsToDouble(random.nextLong());
            if (!Double.isNaN(d) && !Double.isInfinite(d) && d != 0.0) {
                values.add(d);
            }
        }
        TestTarget target = target(targetKind);
        Path file = dir.resolve(targetFile(targetKind));
        boolean cdc = targetKind.endsWith("-cdc");
        try (SyncHarness sync = cdc ? SyncHarness.create(dir, target, LogicalPostgres.get().asTestPostgres())
                : SyncHarness.create(dir, target)) {
            binaryFromPostgres(sync, targetKind);
            JdbcTemplate pg = sync.pg();
            pg.execute("CREATE TABLE doubles (id int PRIMARY KEY, v float8)");
            List<Object[]> rows = new ArrayList<>();
            for (int i = 0; i < values.size(); i++) {
                rows.add(new Object[] {i, values.get(i)});
            }
            pg.batchUpdate("INSERT INTO doubles VALUES (?, ?)", rows);
            sync.table("doubles", "table=doubles", "mode=full");
            sync.start();
            assertThat(sync.runOnce("doubles")).isTrue();
        } finally {
            target.close();
        }
        List<String> changed = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT id, v FROM doubles ORDER BY id")) {
            int n = 0;
            while (rs.next()) {
                n++;
                double expected = values.get(rs.getInt(1));
                if (Double.doubleToRawLongBits(rs.getDouble(2)) != Double.doubleToRawLongBits(expected)) {
                    changed.add(expected + " became " + rs.getDouble(2));
                }
            }
            assertThat(n).isEqualTo(values.size());
        }
        assertThat(changed).isEmpty();
    }

    private static boolean same(Object expected, Object actual) {
        if (expected instanceof Double e && actual instanceof Double a) {
            return Double.doubleToRawLongBits(e) == Double.doubleToRawLongBits(a);
        }
        if (expected instanceof byte[] e && actual instanceof byte[] a) {
            return Arrays.equals(e, a);
        }
        return expected.equals(actual);
    }

    private static String show(Object v) {
        return v instanceof byte[] b ? Arrays.toString(b) : v instanceof Double d ? Double.toString(d) + " (bits "
                + Long.toHexString(Double.doubleToRawLongBits(d)) + ")" : String.valueOf(v);
    }

    /** The file target, Turso's tursodb, or the project's libSQL test server (Turso Cloud's behaviour). */
    private TestTarget target(String kind) {
        return switch (kind) {
            case "file", "file-binary", "file-cdc" -> TestTarget.file(dir);
            case "turso" -> TestTarget.turso(dir);
            default -> TestTarget.libsqlServer(dir);
        };
    }

    /** For {@code file-binary}: Postgres' driver asks for every value in binary, from a statement's first run on. */
    private static void binaryFromPostgres(SyncHarness sync, String kind) {
        if (kind.equals("file-binary")) {
            sync.property("sync.source.url", sync.sourceUrl() + "?prepareThreshold=-1");
        }
    }

    /** The SQLite file behind the target, read back with sqlite-jdbc once the target is stopped. */
    private static String targetFile(String kind) {
        return switch (kind) {
            case "file", "file-binary", "file-cdc" -> "target.db";
            case "turso" -> "turso.db";
            default -> "libsql.db";
        };
    }
}
