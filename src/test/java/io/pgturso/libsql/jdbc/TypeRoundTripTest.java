package io.pgturso.libsql.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgturso.testing.TursoServer;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Values written through PreparedStatement setters come back unchanged through the ResultSet getters. */
class TypeRoundTripTest {

    /** The server these tests run against (Turso's {@code tursodb}; the libSQL test server in a subclass). */
    String jdbcUrl() {
        return TursoServer.shared().jdbcUrl();
    }

    private Connection connection;

    @BeforeEach
    void open() throws SQLException {
        connection = DriverManager.getConnection(jdbcUrl());
        try (Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS round_trip");
            // No declared type: no affinity, so the server keeps each value exactly as sent.
            statement.execute("CREATE TABLE round_trip (id INTEGER PRIMARY KEY, v)");
        }
    }

    @AfterEach
    void close() throws SQLException {
        connection.close();
    }

    /** Writes one value with the setter and reads it back with the getter. */
    private Object roundTrip(SqlSetter setter, SqlGetter getter) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("DELETE FROM round_trip");
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO round_trip (id, v) VALUES (1, ?)")) {
            setter.set(insert);
            assertThat(insert.executeUpdate()).isEqualTo(1);
        }
        try (PreparedStatement select = connection.prepareStatement("SELECT v FROM round_trip WHERE id = 1");
             ResultSet rows = select.executeQuery()) {
            assertThat(rows.next()).isTrue();
            return getter.get(rows);
        }
    }

    interface SqlSetter {
        void set(PreparedStatement statement) throws SQLException;
    }

    interface SqlGetter {
        Object get(ResultSet rows) throws SQLException;
    }

    @Test
    void int64_extremes_survive() throws SQLException {
        assertThat(roundTrip(s -> s.setLong(1, Long.MAX_VALUE), r -> r.getLong(1))).isEqualTo(Long.MAX_VALUE);
        assertThat(roundTrip(s -> s.setLong(1, Long.MIN_VALUE), r -> r.getLong(1))).isEqualTo(Long.MIN_VALUE);
        assertThat(roundTrip(s -> s.setInt(1, -7), r -> r.getObject(1))).isEqualTo(-7L);
    }

    @Test
    void doubles_survive_including_negative_zero_and_extremes() throws SQLException {
        double negativeZero = (double) roundTrip(s -> s.setDouble(1, -0.0), r -> r.getDouble(1));
        assertThat(Double.doubleToRawLongBits(negativeZero)).isEqualTo(Double.doubleToRawLongBits(-0.0));
        assertThat(roundTrip(s -> s.setDouble(1, Double.MAX_VALUE), r -> r.getDouble(1))).isEqualTo(Double.MAX_VALUE);
        assertThat(roundTrip(s -> s.setDouble(1, Double.MIN_VALUE), r -> r.getDouble(1))).isEqualTo(Double.MIN_VALUE);
        assertThat(roundTrip(s -> s.setDouble(1, 1e300), r -> r.getDouble(1))).isEqualTo(1e300);
        assertThat(roundTrip(s -> s.setFloat(1, 1.1f), r -> r.getDouble(1))).isEqualTo(1.1);
    }

    @Test
    void unicode_text_survives_including_emoji() throws SQLException {
        String text = "Grüße, 東京, emoji 🚀👩‍💻, quote \" backslash \\ newline \n tab \t nul-free";
        assertThat(roundTrip(s -> s.setString(1, text), r -> r.getString(1))).isEqualTo(text);
        assertThat(roundTrip(s -> s.setString(1, ""), r -> r.getString(1))).isEqualTo("");
    }

    @Test
    void blobs_survive_empty_and_one_megabyte() throws SQLException {
        byte[] big = new byte[1024 * 1024];
        new Random(42).nextBytes(big);
        assertThat(roundTrip(s -> s.setBytes(1, big), r -> r.getBytes(1))).isEqualTo(big);
        assertThat((byte[]) roundTrip(s -> s.setBytes(1, new byte[0]), r -> r.getBytes(1))).isEmpty();
        assertThat((byte[]) roundTrip(s -> s.setBytes(1, new byte[] {1}), r -> r.getBytes(1))).containsExactly(1);
    }

    @Test
    void nulls_read_as_null_and_wasNull_says_so() throws SQLException {
        assertThat(roundTrip(s -> s.setNull(1, Types.VARCHAR), r -> r.getString(1))).isNull();
        assertThat(roundTrip(s -> s.setObject(1, null), r -> {
            long value = r.getLong(1);
            return value == 0 && r.wasNull();
        })).isEqualTo(true);
        assertThat(roundTrip(s -> s.setString(1, null), r -> r.getObject(1))).isNull();
    }

    @Test
    void big_decimals_survive_exactly() throws SQLException {
        BigDecimal exact = new BigDecimal("12345678901234567890.123456789012345678");
        assertThat(roundTrip(s -> s.setBigDecimal(1, exact), r -> r.getBigDecimal(1))).isEqualTo(exact);
    }

    @Test
    void booleans_are_stored_as_integers() throws SQLException {
        assertThat(roundTrip(s -> s.setBoolean(1, true), r -> r.getObject(1))).isEqualTo(1L);
        assertThat(roundTrip(s -> s.setBoolean(1, false), r -> r.getBoolean(1))).isEqualTo(false);
    }

    @Test
    void dates_and_times_are_iso_text_and_read_back() throws SQLException {
        LocalDateTime local = LocalDateTime.of(2024, 2, 29, 13, 45, 7, 123_456_000);
        assertThat(roundTrip(s -> s.setObject(1, local), r -> r.getString(1))).isEqualTo("2024-02-29T13:45:07.123456");
        assertThat(roundTrip(s -> s.setObject(1, local), r -> r.getObject(1, LocalDateTime.class))).isEqualTo(local);
        assertThat(roundTrip(s -> s.setTimestamp(1, Timestamp.valueOf(local)), r -> r.getTimestamp(1)))
                .isEqualTo(Timestamp.valueOf(local));
        LocalDate date = LocalDate.of(1999, 12, 31);
        assertThat(roundTrip(s -> s.setDate(1, java.sql.Date.valueOf(date)), r -> r.getDate(1).toLocalDate()))
                .isEqualTo(date);
        assertThat(roundTrip(s -> s.setObject(1, LocalTime.of(8, 0)), r -> r.getString(1))).isEqualTo("08:00:00");
        OffsetDateTime offset = OffsetDateTime.of(local, ZoneOffset.ofHours(2));
        assertThat(roundTrip(s -> s.setObject(1, offset), r -> r.getObject(1, OffsetDateTime.class)))
                .isEqualTo(offset);
        Instant instant = Instant.parse("2024-05-01T10:15:30Z");
        assertThat(roundTrip(s -> s.setObject(1, instant), r -> r.getString(1))).isEqualTo("2024-05-01T10:15:30Z");
        assertThat(roundTrip(s -> s.setObject(1, instant), r -> r.getTimestamp(1).toInstant())).isEqualTo(instant);
    }

    @Test
    void uuids_are_text() throws SQLException {
        UUID id = UUID.randomUUID();
        assertThat(roundTrip(s -> s.setObject(1, id), r -> r.getString(1))).isEqualTo(id.toString());
        assertThat(roundTrip(s -> s.setObject(1, id), r -> r.getObject(1, UUID.class))).isEqualTo(id);
    }

    @Test
    void setObject_with_target_type_converts_first() throws SQLException {
        assertThat(roundTrip(s -> s.setObject(1, "42", Types.BIGINT), r -> r.getObject(1))).isEqualTo(42L);
        assertThat(roundTrip(s -> s.setObject(1, 42, Types.VARCHAR), r -> r.getObject(1))).isEqualTo("42");
        assertThat(roundTrip(s -> s.setObject(1, "2.5", Types.DOUBLE), r -> r.getObject(1))).isEqualTo(2.5);
        assertThat(roundTrip(s -> s.setObject(1, "yes", Types.BOOLEAN), r -> r.getObject(1))).isEqualTo(1L);
    }
}
