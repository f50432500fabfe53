package io.pgturso.sync;

import io.pgturso.testing.TestTarget;
import java.nio.file.Path;

/** The schema-change scenarios against the spec-faithful libSQL test server (Turso Cloud's behaviour). */
class LibsqlServerTargetSchemaChangeTest extends SchemaChangeScenarios {
    @Override
    TestTarget newTarget(Path dir) {
        return TestTarget.libsqlServer(dir);
    }
}
