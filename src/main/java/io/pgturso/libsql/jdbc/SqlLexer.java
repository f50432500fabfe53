package io.pgturso.libsql.jdbc;

import java.util.ArrayList;
import java.util.List;

/** Splits SQLite SQL into tokens, skipping comments, so quotes and comments cannot fool the statement checks. */
final class SqlLexer {

    /** What a token is. */
    enum Kind { WORD, QUOTED_NAME, STRING, NUMBER, PARAMETER, SYMBOL }

    /** One token and where it sits in the text. */
    record Token(Kind kind, String text, int start, int end) {
        boolean isWord(String word) {
            return kind == Kind.WORD && text.equalsIgnoreCase(word);
        }

        boolean isSymbol(char symbol) {
            return kind == Kind.SYMBOL && text.length() == 1 && text.charAt(0) == symbol;
        }

        /** A bare {@code ?}: the next positional parameter. */
        boolean isPlainParameter() {
            return kind == Kind.PARAMETER && text.equals("?");
        }
    }

    private SqlLexer() {
    }

    /** The tokens of the text; an unterminated quote or comment runs to the end, as SQLite would reject it anyway. */
    static List<Token> tokens(String sql) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                i = lineEnd(sql, i);
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int close = sql.indexOf("*/", i + 2);
                i = close < 0 ? n : close + 2;
            } else if (c == '\'') {
                i = add(tokens, Kind.STRING, sql, i, quoteEnd(sql, i, '\''));
            } else if (c == '"' || c == '`') {
                i = add(tokens, Kind.QUOTED_NAME, sql, i, quoteEnd(sql, i, c));
            } else if (c == '[') {
                int close = sql.indexOf(']', i + 1);
                i = add(tokens, Kind.QUOTED_NAME, sql, i, close < 0 ? n : close + 1);
            } else if (c == '?') {
                i = add(tokens, Kind.PARAMETER, sql, i, digitsEnd(sql, i + 1));
            } else if ((c == ':' || c == '@' || c == '$') && i + 1 < n && isWordChar(sql.charAt(i + 1))) {
                i = add(tokens, Kind.PARAMETER, sql, i, wordEnd(sql, i + 1));
            } else if (Character.isDigit(c) || c == '.' && i + 1 < n && Character.isDigit(sql.charAt(i + 1))) {
                i = add(tokens, Kind.NUMBER, sql, i, numberEnd(sql, i));
            } else if (isWordChar(c)) {
                i = add(tokens, Kind.WORD, sql, i, wordEnd(sql, i));
            } else {
                i = add(tokens, Kind.SYMBOL, sql, i, i + 1);
            }
        }
        return tokens;
    }

    /** The first word of the statement in upper case, or "" when it has none. */
    static String firstWord(List<Token> tokens) {
        return tokens.isEmpty() || tokens.get(0).kind() != Kind.WORD ? ""
                : tokens.get(0).text().toUpperCase(java.util.Locale.ROOT);
    }

    /** How many arguments the statement expects, numbered as SQLite numbers them ({@code ?}, {@code ?NNN}, names). */
    static int parameterCount(List<Token> tokens) {
        int highest = 0;
        java.util.Set<String> named = new java.util.HashSet<>();
        for (Token token : tokens) {
            if (token.kind() != Kind.PARAMETER) {
                continue;
            }
            String text = token.text();
            if (text.equals("?")) {
                highest++;
            } else if (text.charAt(0) == '?') {
                highest = Math.max(highest, Integer.parseInt(text.substring(1)));
            } else if (named.add(text)) {
                highest++;
            }
        }
        return highest;
    }

    private static int add(List<Token> tokens, Kind kind, String sql, int start, int end) {
        tokens.add(new Token(kind, sql.substring(start, end), start, end));
        return end;
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c > 127;
    }

    private static int lineEnd(String sql, int from) {
        int newline = sql.indexOf('\n', from);
        return newline < 0 ? sql.length() : newline + 1;
    }

    // A doubled quote inside quotes stands for the quote itself.
    private static int quoteEnd(String sql, int open, char quote) {
        int i = open + 1;
        while (i < sql.length()) {
            if (sql.charAt(i) == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return sql.length();
    }

    private static int digitsEnd(String sql, int from) {
        int i = from;
        while (i < sql.length() && Character.isDigit(sql.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int wordEnd(String sql, int from) {
        int i = from;
        while (i < sql.length() && isWordChar(sql.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int numberEnd(String sql, int from) {
        int i = from;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            boolean exponentSign = (c == '+' || c == '-') && (sql.charAt(i - 1) == 'e' || sql.charAt(i - 1) == 'E');
            if (!(Character.isLetterOrDigit(c) || c == '.' || exponentSign)) {
                break;
            }
            i++;
        }
        return i;
    }
}
