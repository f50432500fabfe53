package io.pgturso.sync;

import io.pgturso.testing.TestTarget;
import java.nio.file.Path;

/** The schema-change scenarios against a real libSQL server over HTTP (Turso's tursodb). */
class TursoTargetSchemaChangeTest extends SchemaChangeScenarios {
    @Override
    TestTarget newTarget(Path dir) {
        return TestTarget.turso(dir);
    }
}
