package io.pgturso.libsql.hrana;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.List;
import java.util.Objects;

/**
 * One SQL statement with its positional arguments (named arguments are not used: some servers bind them as NULL); the
 * arguments' writer is fixed, so it is not looked up per argument.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Stmt(String sql, @JsonSerialize(contentUsing = ValueJson.Writer.class) List<Value> args,
                   @JsonProperty("want_rows") boolean wantRows) {

    public Stmt {
        Objects.requireNonNull(sql, "sql");
        args = List.copyOf(args);
    }

    /** A statement without arguments whose rows are wanted. */
    public static Stmt of(String sql) {
        return new Stmt(sql, List.of(), true);
    }

    public static Stmt of(String sql, List<Value> args) {
        return new Stmt(sql, args, true);
    }
}
