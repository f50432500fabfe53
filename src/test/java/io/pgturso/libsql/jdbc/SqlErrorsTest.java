package io.pgturso.libsql.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgturso.libsql.hrana.HranaError;
import io.pgturso.libsql.hrana.HranaException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLInvalidAuthorizationSpecException;
import java.sql.SQLNonTransientException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.sql.SQLTransientException;
import org.junit.jupiter.api.Test;

/** Failures map to transient or permanent SQLExceptions by kind, so callers can retry or dead-letter. */
class SqlErrorsTest {

    private static HranaException http(int status) {
        return new HranaException(HranaException.Kind.HTTP_STATUS, status, "db.example", "HTTP " + status, null);
    }

    @Test
    void server_errors_map_by_kind() {
        assertThat((Throwable) SqlErrors.of(new HranaError("Runtime error: FOREIGN KEY constraint failed", "EXECUTE_ERROR"), ""))
                .isInstanceOf(SQLIntegrityConstraintViolationException.class).hasFieldOrPropertyWithValue("SQLState", "23503");
        assertThat((Throwable) SqlErrors.of(new HranaError("CHECK constraint failed: c > 0 (19)", "BATCH_STEP_ERROR"), "#3"))
                .isInstanceOf(SQLIntegrityConstraintViolationException.class).hasMessageEndingWith("(#3)")
                .hasFieldOrPropertyWithValue("errorCode", 19);
        assertThat((Throwable) SqlErrors.of(new HranaError("database is locked (5)", "EXECUTE_ERROR"), ""))
                .isInstanceOf(SQLTransientException.class);
        assertThat((Throwable) SqlErrors.of(new HranaError("SQLITE_BUSY: busy", null), "")).isInstanceOf(SQLTransientException.class);
        assertThat((Throwable) SqlErrors.of(new HranaError("near \"SELEC\": syntax error", "PREPARE_ERROR"), ""))
                .isInstanceOf(SQLSyntaxErrorException.class);
        assertThat((Throwable) SqlErrors.of(new HranaError("out of memory", "EXECUTE_ERROR"), ""))
                .isExactlyInstanceOf(SQLNonTransientException.class);
    }

    @Test
    void http_failures_map_by_status() {
        assertThat((Throwable) SqlErrors.of(http(401))).isInstanceOf(SQLInvalidAuthorizationSpecException.class)
                .hasMessageContaining("token rejected by db.example (HTTP 401)");
        assertThat((Throwable) SqlErrors.of(http(403))).isInstanceOf(SQLInvalidAuthorizationSpecException.class);
        for (int status : new int[] {429, 502, 503, 504}) {
            assertThat((Throwable) SqlErrors.of(http(status))).isInstanceOf(SQLTransientConnectionException.class);
        }
        assertThat((Throwable) SqlErrors.of(http(500))).isExactlyInstanceOf(SQLNonTransientException.class);
        assertThat((Throwable) SqlErrors.of(new HranaException(HranaException.Kind.TIMEOUT, 0, "db.example", "late", null)))
                .isInstanceOf(SQLTimeoutException.class);
        assertThat((Throwable) SqlErrors.of(new HranaException(HranaException.Kind.CONNECT_FAILED, 0, "db.example", "refused",
                null))).isInstanceOf(SQLTransientConnectionException.class);
    }

    @Test
    void only_refusals_are_safe_to_send_again() {
        assertThat(http(429).certainlyNotApplied()).isTrue();
        assertThat(http(413).certainlyNotApplied()).isTrue();
        assertThat(http(503).certainlyNotApplied()).isFalse();
        assertThat(http(503).outcomeUnknown()).isTrue();
        assertThat(http(502).certainlyNotApplied()).isFalse();
        assertThat(http(504).outcomeUnknown()).isTrue();
        assertThat(new HranaException(HranaException.Kind.TIMEOUT, 0, "h", "late", null).certainlyNotApplied())
                .isFalse();
    }
}
