package io.pgturso.sync;

import io.pgturso.testing.TestTarget;
import java.nio.file.Path;

/** The schema-change scenarios against a local libSQL/SQLite file. */
class FileTargetSchemaChangeTest extends SchemaChangeScenarios {
    @Override
    TestTarget newTarget(Path dir) {
        return TestTarget.file(dir);
    }
}
