package io.pgturso.libsql.jdbc;

import io.pgturso.testing.LibsqlTestServer;

/** {@link MetadataTest} against the spec-faithful libSQL test server. */
class MetadataOnTestServerTest extends MetadataTest {
    @Override
    String jdbcUrl() {
        return LibsqlTestServer.shared().jdbcUrl();
    }
}
