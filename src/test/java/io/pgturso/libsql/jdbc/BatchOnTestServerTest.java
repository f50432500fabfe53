package io.pgturso.libsql.jdbc;

import io.pgturso.testing.LibsqlTestServer;

/** {@link BatchTest} against the spec-faithful libSQL test server. */
class BatchOnTestServerTest extends BatchTest {
    @Override
    String jdbcUrl() {
        return LibsqlTestServer.shared().jdbcUrl();
    }
}
