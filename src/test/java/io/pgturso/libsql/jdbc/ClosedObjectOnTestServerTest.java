package io.pgturso.libsql.jdbc;

import io.pgturso.testing.LibsqlTestServer;

/** {@link ClosedObjectTest} against the spec-faithful libSQL test server. */
class ClosedObjectOnTestServerTest extends ClosedObjectTest {
    @Override
    String jdbcUrl() {
        return LibsqlTestServer.shared().jdbcUrl();
    }
}
