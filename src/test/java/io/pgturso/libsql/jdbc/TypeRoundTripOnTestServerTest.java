package io.pgturso.libsql.jdbc;

import io.pgturso.testing.LibsqlTestServer;

/** {@link TypeRoundTripTest} against the spec-faithful libSQL test server. */
class TypeRoundTripOnTestServerTest extends TypeRoundTripTest {
    @Override
    String jdbcUrl() {
        return LibsqlTestServer.shared().jdbcUrl();
    }
}
