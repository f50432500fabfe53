package io.pgturso.cdc.camel;

import io.pgturso.cdc.CdcConnections;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code pgcdc:} component: {@code pgcdc:SLOT?publication=PUB} streams a logical replication slot. The Postgres
 * sessions come from the endpoint ({@code connections=#bean}, or {@code url}, {@code user}, {@code password}) or,
 * when it names none, from the component's {@link #setConnections}, so the wiring gives them once for every route.
 */
public class PgCdcComponent extends DefaultComponent {
    private CdcConnections connections;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        PgCdcEndpoint endpoint = new PgCdcEndpoint(uri, this, remaining);
        endpoint.setConnections(connections);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    /** The Postgres sessions of endpoints that name none. */
    public CdcConnections getConnections() {
        return connections;
    }

    public void setConnections(CdcConnections connections) {
        this.connections = connections;
    }
}
