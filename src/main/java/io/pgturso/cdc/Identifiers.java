package io.pgturso.cdc;

import java.util.regex.Pattern;

/** Names in SQL: quoted only when Postgres would otherwise read them differently, so fixes in messages stay readable. */
final class Identifiers {
    private static final Pattern PLAIN = Pattern.compile("[a-z_][a-z0-9_$]*");
    /** Postgres' own rule for slot names; publications are held to it too, as both go into replication commands. */
    private static final Pattern OBJECT_NAME = Pattern.compile("[a-z0-9_]{1,63}");

    private Identifiers() {
    }

    /** The identifier as SQL: bare when plain lowercase, else in double quotes. */
    static String sql(String identifier) {
        return PLAIN.matcher(identifier).matches() ? identifier : '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** {@code schema.name} as SQL. */
    static String sql(String schema, String name) {
        return sql(schema) + "." + sql(name);
    }

    /** A slot or publication name, or an {@link IllegalArgumentException} saying what is allowed. */
    static String objectName(String what, String name) {
        if (name == null || !OBJECT_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("The " + what + " name '" + name
                    + "' is not valid: use 1 to 63 lowercase letters, digits and underscores");
        }
        return name;
    }
}
