package io.pgturso.failure;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLNonTransientException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;

class SyncFailuresTest {
    @Test
    void outages_are_transient_whether_typed_or_told_by_sqlstate() {
        assertThat(SyncFailures.isTransient(new SQLTransientConnectionException("refused"))).isTrue();
        assertThat(SyncFailures.isTransient(new SQLException("terminating connection", "57P01"))).isTrue();
        assertThat(SyncFailures.isTransient(new SQLException("connection refused", "08001"))).isTrue();
        assertThat(SyncFailures.isTransient(new RuntimeException(new ConnectException("refused")))).isTrue();
    }

    @Test
    void errors_a_driver_typed_as_non_transient_are_not_retried_whatever_their_sqlstate() {
        assertThat(SyncFailures.isTransient(new SQLNonTransientException("datatype mismatch", "HY000"))).isFalse();
        assertThat(SyncFailures.isTransient(new SQLNonTransientConnectionException("unreadable response", "08000"))).isFalse();
        assertThat(SyncFailures.isTransient(new SQLException("syntax error", "42601"))).isFalse();
    }

    @Test
    void constraint_violations_are_problems_of_the_row() {
        assertThat(SyncFailures.isRowProblem(new DataIntegrityViolationException("x",
                new SQLIntegrityConstraintViolationException("CHECK constraint failed", "23514")))).isTrue();
        assertThat(SyncFailures.isRowProblem(new SQLException("no such table: orders", "42P01"))).isFalse();
        assertThat(SyncFailures.isRowProblem(new SQLTransientConnectionException("refused"))).isFalse();
    }
}
