package io.pgturso.libsql.jdbc;

import io.pgturso.libsql.hrana.Stmt;
import io.pgturso.libsql.hrana.Value;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** What the driver needs to know about one SQL text: its kind, its parameter count, and its multi-row form if any. */
final class ParsedSql {

    /** How the driver treats a statement. */
    enum Kind {
        /** Reads only (SELECT, VALUES, EXPLAIN, PRAGMA without '=', WITH without a write). */
        QUERY,
        /** INSERT, UPDATE, DELETE, REPLACE: reports an update count. */
        WRITE,
        /** BEGIN, COMMIT, SAVEPOINT...: the driver manages transactions itself. */
        TRANSACTION_CONTROL,
        /** Schema and other statements (CREATE, DROP, ALTER, PRAGMA x = y...). */
        OTHER
    }

    private static final Set<String> WRITES = Set.of("INSERT", "UPDATE", "DELETE", "REPLACE");
    private static final Set<String> TRANSACTION_WORDS = Set.of("BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT",
            "RELEASE");

    private final String sql;
    private final Kind kind;
    private final int parameterCount;
    private final boolean returning;
    private final MultiRowInsert multiRowInsert;
    private final long jsonBytes;
    /** Where each plain {@code ?} starts, in order; null when the statement has other kinds of parameters. */
    private final int[] plainParameters;

    private ParsedSql(String sql) {
        List<SqlLexer.Token> tokens = SqlLexer.tokens(sql);
        boolean onlyPlain = tokens.stream().allMatch(t -> t.kind() != SqlLexer.Kind.PARAMETER || t.isPlainParameter());
        this.plainParameters = onlyPlain ? tokens.stream().filter(SqlLexer.Token::isPlainParameter)
                .mapToInt(SqlLexer.Token::start).toArray() : null;
        this.sql = sql;
        this.kind = kindOf(tokens);
        this.parameterCount = SqlLexer.parameterCount(tokens);
        this.returning = tokens.stream().anyMatch(t -> t.isWord("RETURNING"));
        this.multiRowInsert = MultiRowInsert.of(sql, tokens);
        this.jsonBytes = RequestSize.json(sql);
    }

    static ParsedSql of(String sql) {
        return new ParsedSql(sql);
    }

    /**
     * The statement to send with these arguments: ±Infinity, which JSON cannot carry, is written into the SQL text as
     * a literal and left out of the arguments; everything else is sent as it is.
     */
    Stmt stmt(List<Value> args, boolean wantRows) throws SQLException {
        if (args.stream().noneMatch(SqlLiteral::isInfinite)) {
            return new Stmt(sql, args, wantRows);
        }
        if (plainParameters == null || plainParameters.length != args.size()) {
            throw new SQLException("an infinite double can be sent only to a statement with plain ? parameters "
                    + "(JSON, which carries the arguments, has no infinity)", "22003");
        }
        StringBuilder text = new StringBuilder(sql.length() + 16);
        List<Value> rest = new ArrayList<>(args.size());
        int from = 0;
        for (int i = 0; i < args.size(); i++) {
            text.append(sql, from, plainParameters[i]);
            if (SqlLiteral.isInfinite(args.get(i))) {
                text.append(SqlLiteral.infinity(args.get(i)));
            } else {
                text.append('?');
                rest.add(args.get(i));
            }
            from = plainParameters[i] + 1;
        }
        text.append(sql, from, sql.length());
        return new Stmt(text.toString(), rest, wantRows);
    }

    private static Kind kindOf(List<SqlLexer.Token> tokens) {
        String first = SqlLexer.firstWord(tokens);
        if (WRITES.contains(first)) {
            return Kind.WRITE;
        }
        if (TRANSACTION_WORDS.contains(first)) {
            return Kind.TRANSACTION_CONTROL;
        }
        switch (first) {
            case "SELECT", "VALUES", "EXPLAIN":
                return Kind.QUERY;
            case "PRAGMA":
                return tokens.stream().anyMatch(t -> t.isSymbol('=')) ? Kind.OTHER : Kind.QUERY;
            case "WITH":
                return tokens.stream().anyMatch(t -> t.kind() == SqlLexer.Kind.WORD
                        && WRITES.contains(t.text().toUpperCase(java.util.Locale.ROOT))) ? Kind.WRITE : Kind.QUERY;
            default:
                return Kind.OTHER;
        }
    }

    String sql() {
        return sql;
    }

    /** Bytes of the text as a JSON string (counted once: a batch measures it for every row). */
    long jsonBytes() {
        return jsonBytes;
    }

    Kind kind() {
        return kind;
    }

    int parameterCount() {
        return parameterCount;
    }

    /** True when the statement produces rows: a query, or a write with RETURNING. */
    boolean producesRows() {
        return kind == Kind.QUERY || kind == Kind.WRITE && returning;
    }

    /** True when starting or ending a transaction by hand, which would leave the shared server connection inside it. */
    boolean opensTransaction() {
        return kind == Kind.TRANSACTION_CONTROL;
    }

    /** The multi-row form of a single-row INSERT, or null when the statement is not one. */
    MultiRowInsert multiRowInsert() {
        return multiRowInsert;
    }
}
