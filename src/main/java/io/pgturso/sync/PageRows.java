package io.pgturso.sync;

import java.util.ArrayList;
import java.util.List;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

/** Gathers the split's transformed rows back into one page, leaving out the rows sent to the dead letters. */
public class PageRows implements AggregationStrategy {
    @Override
    @SuppressWarnings("unchecked")
    public Exchange aggregate(Exchange page, Exchange row) {
        Exchange result = page == null ? row : page;
        List<TargetRow> rows = page == null ? new ArrayList<>() : page.getMessage().getBody(List.class);
        if (row.getMessage().getBody() instanceof TargetRow transformed) {
            rows.add(transformed);
        }
        result.getMessage().setBody(rows);
        return result;
    }

    @Override
    public void onCompletion(Exchange original, Exchange page) {
        if (page == null || !(page.getMessage().getBody() instanceof List)) {
            original.getMessage().setBody(new ArrayList<TargetRow>());
        }
    }
}
