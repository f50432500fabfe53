package io.pgturso.libsql.jdbc;

import io.pgturso.testing.LibsqlTestServer;

/** {@link DataSourceTest} against the spec-faithful libSQL test server. */
class DataSourceOnTestServerTest extends DataSourceTest {
    @Override
    String jdbcUrl() {
        return LibsqlTestServer.shared().jdbcUrl();
    }
}
