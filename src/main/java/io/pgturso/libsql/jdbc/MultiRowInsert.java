package io.pgturso.libsql.jdbc;

import io.pgturso.libsql.hrana.SqlJsonText;
import io.pgturso.libsql.hrana.Stmt;
import io.pgturso.libsql.hrana.Value;
import java.util.ArrayList;
import java.util.List;

/**
 * A single-row {@code INSERT ... VALUES (?, ?, ...) [ON CONFLICT ...]} split around its one tuple, so a batch of rows
 * can be sent as {@code VALUES (?, ?), (?, ?), ...}: one statement instead of one per row, as pgjdbc's
 * reWriteBatchedInserts does. Only plain {@code ?} placeholders (alone or in expressions) in the tuple and none elsewhere qualify.
 */
final class MultiRowInsert {

    /** SQLite's limit of bound parameters in one statement. */
    static final int MAX_PARAMETERS = 32766;

    private final String head;
    private final String tuple;
    private final String tail;
    private final int parametersPerRow;
    /** The head, the tuple's text around its placeholders ({@code parametersPerRow + 1} pieces) and the tail as
     *  escaped JSON text, for statements with inlined literals. */
    private final byte[] headJson;
    private final byte[][] piecesJson;
    private final byte[] tailJson;
    /** JSON bytes of one more tuple and its comma, without its values. */
    private final long rowJsonBytes;
    /** Bytes per row of the last statement with inlined literals: the next one's buffer is sized by it. */
    private volatile int inlinedRowBytes;
    private String lastSql;
    private int lastRows;

    private MultiRowInsert(String head, String tuple, String tail, String[] pieces) {
        this.head = head;
        this.tuple = tuple;
        this.tail = tail;
        this.parametersPerRow = pieces.length - 1;
        this.headJson = SqlJsonText.escaped(head);
        this.piecesJson = new byte[pieces.length][];
        for (int p = 0; p < pieces.length; p++) {
            piecesJson[p] = SqlJsonText.escaped(pieces[p]);
        }
        this.tailJson = SqlJsonText.escaped(tail);
        this.rowJsonBytes = RequestSize.json(tuple) - 2 + 1;
    }

    /** The split form, or null when the statement is anything but one INSERT with one tuple of placeholders. */
    static MultiRowInsert of(String sql, List<SqlLexer.Token> tokens) {
        int i = insertIntoEnd(tokens);
        if (i < 0) {
            return null;
        }
        i = tableNameEnd(tokens, i);
        if (i < 0) {
            return null;
        }
        if (i < tokens.size() && tokens.get(i).isSymbol('(')) {
            i = columnListEnd(tokens, i);
        }
        if (i < 0 || i >= tokens.size() || !tokens.get(i).isWord("VALUES")) {
            return null;
        }
        int open = i + 1;
        int close = placeholderTupleEnd(tokens, open);
        if (close < 0 || !tailQualifies(tokens, close + 1)) {
            return null;
        }
        int tupleStart = tokens.get(open).start();
        String tupleText = sql.substring(tupleStart, tokens.get(close).end());
        List<String> pieces = new java.util.ArrayList<>();
        int from = 0;
        for (SqlLexer.Token token : tokens.subList(open, close)) {
            if (token.isPlainParameter()) {
                pieces.add(tupleText.substring(from, token.start() - tupleStart));
                from = token.end() - tupleStart;
            }
        }
        pieces.add(tupleText.substring(from));
        String tail = sql.substring(tokens.get(close).end()).strip();
        if (tail.endsWith(";")) {
            tail = tail.substring(0, tail.length() - 1).strip();
        }
        return new MultiRowInsert(sql.substring(0, tupleStart), tupleText, tail.isEmpty() ? "" : " " + tail,
                pieces.toArray(String[]::new));
    }

    // INSERT [OR conflict-action] INTO, or REPLACE INTO; returns the index after INTO.
    private static int insertIntoEnd(List<SqlLexer.Token> tokens) {
        if (tokens.size() < 4) {
            return -1;
        }
        int i;
        if (tokens.get(0).isWord("REPLACE")) {
            i = 1;
        } else if (tokens.get(0).isWord("INSERT")) {
            i = tokens.get(1).isWord("OR") ? 3 : 1;
        } else {
            return -1;
        }
        return i < tokens.size() && tokens.get(i).isWord("INTO") ? i + 1 : -1;
    }

    // [schema.]table [AS alias]
    private static int tableNameEnd(List<SqlLexer.Token> tokens, int i) {
        if (i >= tokens.size() || !isName(tokens.get(i))) {
            return -1;
        }
        i++;
        if (i + 1 < tokens.size() && tokens.get(i).isSymbol('.') && isName(tokens.get(i + 1))) {
            i += 2;
        }
        if (i + 1 < tokens.size() && tokens.get(i).isWord("AS") && isName(tokens.get(i + 1))) {
            i += 2;
        }
        return i;
    }

    // ( name, name, ... ) with nothing else inside
    private static int columnListEnd(List<SqlLexer.Token> tokens, int open) {
        int i = open + 1;
        while (i + 1 < tokens.size() && isName(tokens.get(i))) {
            if (tokens.get(i + 1).isSymbol(')')) {
                return i + 2;
            }
            if (!tokens.get(i + 1).isSymbol(',')) {
                return -1;
            }
            i += 2;
        }
        return -1;
    }

    // ( ?, ?, ... ), where an element may also be an expression over plain ? (e.g. (? * power(2.0, ?))), but each
    // element holds a ?: returns the index of the closing parenthesis
    private static int placeholderTupleEnd(List<SqlLexer.Token> tokens, int open) {
        if (open >= tokens.size() || !tokens.get(open).isSymbol('(')) {
            return -1;
        }
        int depth = 0;
        boolean elementHasParameter = false;
        for (int i = open; i < tokens.size(); i++) {
            SqlLexer.Token token = tokens.get(i);
            if (token.kind() == SqlLexer.Kind.PARAMETER && !token.isPlainParameter() || token.isSymbol(';')
                    || token.isWord("SELECT")) {
                return -1;
            }
            elementHasParameter |= token.isPlainParameter();
            if (token.isSymbol('(')) {
                depth++;
            } else if (depth == 1 && (token.isSymbol(',') || token.isSymbol(')'))) {
                if (!elementHasParameter) {
                    return -1;
                }
                elementHasParameter = false;
                if (token.isSymbol(')')) {
                    return i;
                }
            } else if (token.isSymbol(')')) {
                depth--;
            }
        }
        return -1;
    }

    // After the tuple: nothing, ';', or an ON CONFLICT clause; no second tuple, parameter, RETURNING or statement.
    private static boolean tailQualifies(List<SqlLexer.Token> tokens, int from) {
        if (from < tokens.size() && !tokens.get(from).isWord("ON") && !tokens.get(from).isSymbol(';')) {
            return false;
        }
        for (int i = from; i < tokens.size(); i++) {
            SqlLexer.Token token = tokens.get(i);
            if (token.kind() == SqlLexer.Kind.PARAMETER || token.isWord("RETURNING")
                    || token.isSymbol(';') && i != tokens.size() - 1) {
                return false;
            }
        }
        return true;
    }

    private static boolean isName(SqlLexer.Token token) {
        return token.kind() == SqlLexer.Kind.WORD || token.kind() == SqlLexer.Kind.QUOTED_NAME;
    }

    int parametersPerRow() {
        return parametersPerRow;
    }

    /**
     * Bytes one more row adds to the statement's JSON beside its values: the comma and the tuple (a bound for it with
     * its placeholders or inlined literals, whose own bytes {@link RequestSize#of(java.util.List)} bounds).
     */
    long rowJsonBytes() {
        return rowJsonBytes;
    }

    /** Most rows per statement within SQLite's parameter limit. */
    int maxRows() {
        return parametersPerRow == 0 ? 1 : MAX_PARAMETERS / parametersPerRow;
    }

    /** The statement text for this many rows (the last text is kept: batches repeat the same chunk size). */
    String sql(int rows) {
        if (rows == lastRows && lastSql != null) {
            return lastSql;
        }
        StringBuilder sql = new StringBuilder(head.length() + tail.length() + rows * (tuple.length() + 2));
        sql.append(head).append(tuple);
        for (int row = 1; row < rows; row++) {
            sql.append(',').append(tuple);
        }
        lastSql = sql.append(tail).toString();
        lastRows = rows;
        return lastSql;
    }

    /**
     * The statement for {@code count} rows with each value that {@link SqlLiteral} can write inlined as a literal; the
     * rest stay placeholders, and their values are its arguments, in order. Its text is written straight as the JSON
     * of the request (no String of it is made).
     */
    Stmt inlined(List<BoundStatement> entries, int first, int count) {
        List<Value> args = new ArrayList<>();
        int perRow = 0;
        for (byte[] piece : piecesJson) {
            perRow += piece.length;
        }
        int rowBytes = Math.max(inlinedRowBytes, perRow + 1 + 8 * parametersPerRow);
        SqlJsonText sql = new SqlJsonText(headJson.length + tailJson.length + count * (rowBytes + rowBytes / 8));
        sql.appendEscaped(headJson);
        for (int k = first; k < first + count; k++) {
            if (k > first) {
                sql.appendAscii(',');
            }
            List<Value> row = entries.get(k).args();
            sql.appendEscaped(piecesJson[0]);
            for (int p = 0; p < parametersPerRow; p++) {
                Value value = row.get(p);
                if (!SqlLiteral.append(sql, value)) {
                    sql.appendAscii('?');
                    args.add(value);
                }
                sql.appendEscaped(piecesJson[p + 1]);
            }
        }
        sql.appendEscaped(tailJson);
        inlinedRowBytes = (sql.length() - headJson.length - tailJson.length) / count;
        return sql.stmt(args, false);
    }
}
