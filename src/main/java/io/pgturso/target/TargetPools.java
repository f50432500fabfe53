package io.pgturso.target;

import com.zaxxer.hikari.HikariConfig;
import io.pgturso.config.TargetUrl;

/** The pool settings every kind of target shares. */
final class TargetPools {
    private TargetPools() {
    }

    /** Opens connections lazily: a target that cannot be reached is reported by the start-up check, not here. */
    static HikariConfig config(TargetUrl url, int poolSize) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("target");
        config.setJdbcUrl(url.jdbcUrl());
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(0);
        config.setInitializationFailTimeout(-1);
        config.setConnectionTimeout(30_000);
        return config;
    }
}
