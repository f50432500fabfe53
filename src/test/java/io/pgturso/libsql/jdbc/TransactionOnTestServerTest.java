package io.pgturso.libsql.jdbc;

import io.pgturso.testing.LibsqlTestServer;

/** {@link TransactionTest} against the spec-faithful libSQL test server. */
class TransactionOnTestServerTest extends TransactionTest {
    @Override
    String jdbcUrl() {
        return LibsqlTestServer.shared().jdbcUrl();
    }
}
