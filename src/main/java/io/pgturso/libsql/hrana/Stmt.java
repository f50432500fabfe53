package io.pgturso.libsql.hrana;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;

/**
 * One SQL statement with its positional arguments (named arguments are not used: some servers bind them as NULL); the
 * arguments' writer is fixed, so it is not looked up per argument. Its SQL is a String, or, for a long generated
 * statement, text already written as a JSON string ({@link SqlJsonText}), which goes into the request as it is.
 */
@JsonSerialize(using = Stmt.Writer.class)
public final class Stmt {
    private final String sql;
    private final byte[] sqlJson;
    private final int sqlJsonLength;
    private final List<Value> args;
    private final boolean wantRows;

    public Stmt(String sql, List<Value> args, boolean wantRows) {
        this(Objects.requireNonNull(sql, "sql"), null, 0, args, wantRows);
    }

    private Stmt(String sql, byte[] sqlJson, int sqlJsonLength, List<Value> args, boolean wantRows) {
        this.sql = sql;
        this.sqlJson = sqlJson;
        this.sqlJsonLength = sqlJsonLength;
        this.args = List.copyOf(args);
        this.wantRows = wantRows;
    }

    /** A statement without arguments whose rows are wanted. */
    public static Stmt of(String sql) {
        return new Stmt(sql, List.of(), true);
    }

    public static Stmt of(String sql, List<Value> args) {
        return new Stmt(sql, args, true);
    }

    /** A statement whose SQL is the first {@code length} bytes of {@code json}: the escaped UTF-8 of a JSON string. */
    static Stmt ofJsonText(byte[] json, int length, List<Value> args, boolean wantRows) {
        return new Stmt(null, json, length, args, wantRows);
    }

    /** The SQL text (read back from its JSON when it was given as such: for messages and tests, not per request). */
    public String sql() {
        if (sql != null) {
            return sql;
        }
        byte[] quoted = new byte[sqlJsonLength + 2];
        quoted[0] = '"';
        System.arraycopy(sqlJson, 0, quoted, 1, sqlJsonLength);
        quoted[quoted.length - 1] = '"';
        try (JsonParser parser = new JsonFactory().createParser(quoted)) {
            parser.nextToken();
            return parser.getText();
        } catch (IOException e) {
            throw new UncheckedIOException("a statement's JSON text does not read back", e);
        }
    }

    /** About the bytes of its JSON: the text's (UTF-8, without escapes for a String) and 48 per argument. */
    long sizeHint() {
        return 48L + (sqlJson != null ? sqlJsonLength : sql.length()) + 48L * args.size();
    }

    public List<Value> args() {
        return args;
    }

    public boolean wantRows() {
        return wantRows;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Stmt stmt && wantRows == stmt.wantRows && sql().equals(stmt.sql())
                && args.equals(stmt.args);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sql(), args, wantRows);
    }

    @Override
    public String toString() {
        return "Stmt[sql=" + sql() + ", args=" + args + ", wantRows=" + wantRows + "]";
    }

    /** Writes {@code {"sql": ..., "args": [...], "want_rows": ...}}; SQL given as JSON text is copied as it is. */
    static final class Writer extends StdSerializer<Stmt> {
        private static final SerializedString SQL = new SerializedString("sql");
        private static final SerializedString ARGS = new SerializedString("args");
        private static final SerializedString WANT_ROWS = new SerializedString("want_rows");
        private static final ValueJson.Writer VALUE = new ValueJson.Writer();

        Writer() {
            super(Stmt.class);
        }

        @Override
        public void serialize(Stmt stmt, JsonGenerator json, SerializerProvider provider) throws IOException {
            json.writeStartObject();
            json.writeFieldName(SQL);
            if (stmt.sqlJson != null) {
                json.writeRawUTF8String(stmt.sqlJson, 0, stmt.sqlJsonLength);
            } else {
                json.writeString(stmt.sql);
            }
            json.writeFieldName(ARGS);
            json.writeStartArray();
            for (Value value : stmt.args) {
                VALUE.serialize(value, json, provider);
            }
            json.writeEndArray();
            json.writeFieldName(WANT_ROWS);
            json.writeBoolean(stmt.wantRows);
            json.writeEndObject();
        }
    }
}
