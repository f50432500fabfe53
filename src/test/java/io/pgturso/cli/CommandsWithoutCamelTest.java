package io.pgturso.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgturso.testing.CapturedLogs;
import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.SyncHarness.CliResult;
import io.pgturso.testing.TestTarget;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The commands that run no pass answer without starting Camel, yet run the same start-up check as run. */
@Timeout(120)
class CommandsWithoutCamelTest {
    @TempDir
    Path dir;

    @Test
    void status_verify_plan_and_reset_checkpoint_start_no_camel() {
        try (SyncHarness sync = SyncHarness.create(dir, TestTarget.file(dir))) {
            sync.pg().execute("CREATE TABLE orders (id int PRIMARY KEY, updated_at timestamptz NOT NULL DEFAULT now())");
            sync.pg().execute("CREATE INDEX ON orders (updated_at, id)");
            sync.pg().update("INSERT INTO orders (id) VALUES (1)");
            sync.table("orders", "table=orders", "cursor=updated_at");
            assertThat(sync.cli("once").exitCode()).isZero();

            for (String[] command : new String[][] {{"status"}, {"verify"}, {"plan"}, {"reset-checkpoint", "--table", "orders"}}) {
                String logs;
                CliResult result;
                try (CapturedLogs captured = new CapturedLogs()) {
                    String[] verbose = java.util.Arrays.copyOf(command, command.length + 1);
                    verbose[command.length] = "--verbose";
                    result = sync.cli(verbose);
                    logs = captured.text();
                }
                assertThat(result.exitCode()).as(command[0] + ": " + result.out() + result.err()).isZero();
                assertThat(result.out()).as(command[0]).contains("orders");
                assertThat(logs).as(command[0]).doesNotContain("Apache Camel");
                if (!command[0].equals("plan")) {
                    assertThat(logs).as(command[0] + " runs the start-up check").contains("orders: \"public\".\"orders\" -> orders");
                }
            }
        }
    }
}
