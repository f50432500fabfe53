package io.pgturso.app;

import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.support.service.ServiceSupport;

/** Closes the connection pools when Camel stops. */
class ClosePools extends ServiceSupport {
    private final HikariDataSource[] pools;

    ClosePools(HikariDataSource... pools) {
        this.pools = pools;
    }

    @Override
    protected void doStop() {
        for (HikariDataSource pool : pools) {
            pool.close();
        }
    }
}
