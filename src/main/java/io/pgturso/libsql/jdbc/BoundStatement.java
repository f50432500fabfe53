package io.pgturso.libsql.jdbc;

import io.pgturso.libsql.hrana.Value;
import java.util.List;

/** One statement of a batch or transaction with the arguments bound to it. */
record BoundStatement(ParsedSql parsed, List<Value> args) {

    BoundStatement {
        args = List.copyOf(args);
    }
}
