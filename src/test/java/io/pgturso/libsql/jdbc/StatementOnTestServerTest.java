package io.pgturso.libsql.jdbc;

import io.pgturso.testing.LibsqlTestServer;

/** {@link StatementTest} against the spec-faithful libSQL test server. */
class StatementOnTestServerTest extends StatementTest {
    @Override
    String jdbcUrl() {
        return LibsqlTestServer.shared().jdbcUrl();
    }
}
