package io.pgturso.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.AsyncCallback;
import org.apache.camel.model.BeanDefinition;
import org.apache.camel.support.SynchronizationAdapter;
import org.apache.camel.support.processor.DelegateAsyncProcessor;

/**
 * Test-only Camel configuration (loaded with {@code camel.main.configuration-classes}) that records, in the Postgres
 * table {@code pass_log}, when each table pass of this process starts (its startPass step) and when its exchange is done, so tests
 * can check from the record that no table ever had two passes at once. Node name: environment {@code PGTURSO_TEST_NODE}.
 */
public class PassRecorder implements CamelConfiguration {
    /** The table the records go to, in the source database. */
    public static final String DDL = "CREATE TABLE IF NOT EXISTS pass_log (id bigserial PRIMARY KEY, node text NOT NULL, "
            + "route text NOT NULL, started timestamptz NOT NULL, ended timestamptz)";
    private static final String RECORDED = "passRecorderId";
    /** The session name of the recorder's connections, followed by the node: tests wait until a paused process's writes have landed. */
    public static final String APPLICATION_NAME = "pass-recorder ";

    @Override
    public void configure(CamelContext camel) {
        String url = camel.resolvePropertyPlaceholders("{{test.pass-log.url}}");
        String user = camel.resolvePropertyPlaceholders("{{sync.source.user}}");
        String password = camel.resolvePropertyPlaceholders("{{sync.source.password}}");
        String node = System.getenv().getOrDefault("PGTURSO_TEST_NODE", "in-process");
        // a pass starts at its startPass step (the table's lock, if any, is taken before) and ends when its exchange is done
        camel.getCamelContextExtension().addInterceptStrategy((context, definition, target, next) -> {
            if (!(definition instanceof BeanDefinition bean) || !"startPass".equals(bean.getMethod())) {
                return target;
            }
            return new DelegateAsyncProcessor(target) {
                @Override
                public boolean process(Exchange exchange, AsyncCallback callback) {
                    if (exchange.getProperty(RECORDED) == null) {
                        long id = insert(url, properties(user, password, node), node, exchange.getFromRouteId());
                        exchange.setProperty(RECORDED, id);
                        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
                            @Override
                            public void onDone(Exchange done) {
                                end(url, properties(user, password, node), id);
                            }

                            @Override
                            public int getOrder() {
                                // before the table's lock is released (that one runs last)
                                return HIGHEST;
                            }
                        });
                    }
                    return super.process(exchange, callback);
                }
            };
        });
    }

    /** Bounded connections: a recorder that cannot reach Postgres fails the pass instead of hanging it. */
    private static Properties properties(String user, String password, String node) {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("ApplicationName", APPLICATION_NAME + node);
        p.setProperty("connectTimeout", "10");
        p.setProperty("socketTimeout", "30");
        p.setProperty("options", "-c statement_timeout=10000");
        return p;
    }

    private static long insert(String url, Properties properties, String node, String route) {
        try (Connection c = DriverManager.getConnection(url, properties);
                PreparedStatement ps = c.prepareStatement("INSERT INTO pass_log (node, route, started) VALUES (?, ?, clock_timestamp()) RETURNING id")) {
            ps.setString(1, node);
            ps.setString(2, route);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record the start of a pass: " + e.getMessage(), e);
        }
    }

    private static void end(String url, Properties properties, long id) {
        try (Connection c = DriverManager.getConnection(url, properties);
                PreparedStatement ps = c.prepareStatement("UPDATE pass_log SET ended = clock_timestamp() WHERE id = ?")) {
            ps.setLong(1, id);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record the end of a pass: " + e.getMessage(), e);
        }
    }
}
