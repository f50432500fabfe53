package io.pgturso.libsql.hrana;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.Test;

/** A request's body as the HTTP client reads it: its exact bytes with their length, as often as it is subscribed to. */
class RequestBodyTest {

    @Test
    void every_subscriber_reads_the_whole_json_once_with_its_length_declared() {
        PipelineRequest request = PipelineRequest.of(StreamRequest.execute(Stmt.of("SELECT ?", List.of(Value.of("é")))));
        RequestBody body = HranaCodec.encode(request, 1); // grown from a buffer far too small
        HttpRequest.BodyPublisher publisher = body.publisher();

        assertThat(publisher.contentLength()).isEqualTo(HranaCodec.encode(request).length);
        assertThat(read(publisher)).isEqualTo(HranaCodec.encode(request));
        assertThat(read(publisher)).isEqualTo(HranaCodec.encode(request));
    }

    @Test
    void the_size_hint_of_a_batch_counts_its_statements_text() {
        String sql = "INSERT INTO t VALUES " + "(1, 'x'),".repeat(1000) + "(2, 'y')";
        PipelineRequest request = PipelineRequest.of(StreamRequest.batch(List.of(BatchStep.always(Stmt.of(sql)))));

        assertThat(request.sizeHint()).isGreaterThanOrEqualTo(HranaCodec.encode(request).length);
    }

    private static byte[] read(HttpRequest.BodyPublisher publisher) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean[] completed = {false};
        publisher.subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(1);
                subscription.request(1); // asking again after the end gives nothing more
            }

            @Override
            public void onNext(ByteBuffer item) {
                byte[] chunk = new byte[item.remaining()];
                item.get(chunk);
                out.writeBytes(chunk);
            }

            @Override
            public void onError(Throwable throwable) {
                throw new AssertionError(throwable);
            }

            @Override
            public void onComplete() {
                completed[0] = true;
            }
        });
        assertThat(completed[0]).isTrue();
        return out.toByteArray();
    }
}
