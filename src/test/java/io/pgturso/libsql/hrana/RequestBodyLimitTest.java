package io.pgturso.libsql.hrana;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The body size learned from HTTP 413 answers settles under the server's limit in a few refusals and probes upward. */
class RequestBodyLimitTest {

    private static final long MIB = 1024 * 1024;

    /** A server refusing bodies over {@code limit}, sent bodies of {@code fill} of the planned size. */
    private static final class Server {
        long limit;
        long refusals;
        long lastAccepted;

        Server(long limit) {
            this.limit = limit;
        }

        void send(RequestBodyLimit learned, long wanted, double fill) {
            long body = (long) (Math.min(wanted, learned.maxBodyBytes()) * fill);
            if (body > limit) {
                refusals++;
                learned.refused(body);
            } else {
                lastAccepted = body;
                learned.accepted(body);
            }
        }
    }

    @Test
    void no_limit_is_assumed_until_a_body_is_refused() {
        RequestBodyLimit learned = new RequestBodyLimit();
        learned.accepted(100 * MIB);
        assertThat(learned.maxBodyBytes()).isEqualTo(RequestBodyLimit.NONE);
    }

    @Test
    void after_a_refusal_bodies_settle_close_under_the_limit_in_a_few_refusals() {
        for (double fill : new double[] {1.0, 0.9}) {
            RequestBodyLimit learned = new RequestBodyLimit();
            Server server = new Server(MIB);
            for (int i = 0; i < RequestBodyLimit.PROBE_AFTER - 1; i++) {
                server.send(learned, 8 * MIB, fill);
            }
            assertThat(server.refusals).as("refusals, bodies %s of the size planned", fill).isBetween(1L, 8L);
            assertThat(server.lastAccepted).as("the body settled on").isBetween((long) (0.85 * fill * MIB), MIB);
        }
    }

    @Test
    void a_larger_body_is_tried_now_and_then_and_less_often_while_the_limit_stays() {
        RequestBodyLimit learned = new RequestBodyLimit();
        Server server = new Server(MIB);
        for (int i = 0; i < 100; i++) {
            server.send(learned, 8 * MIB, 1.0);
        }
        long settled = server.refusals;
        for (int i = 0; i < 64 + 128 + 256; i++) {
            server.send(learned, 8 * MIB, 1.0);
        }
        assertThat(server.refusals - settled).as("probes refused over 448 requests").isBetween(1L, 3L);
        assertThat(server.lastAccepted).isGreaterThan(MIB * 15 / 16);
    }

    @Test
    void a_raised_limit_is_found_by_a_probe_and_a_lowered_one_by_the_next_refusal() {
        RequestBodyLimit learned = new RequestBodyLimit();
        Server server = new Server(MIB);
        for (int i = 0; i < 20; i++) {
            server.send(learned, 8 * MIB, 1.0);
        }
        server.limit = 16 * MIB;
        for (int i = 0; i < RequestBodyLimit.PROBE_AFTER + 2; i++) {
            server.send(learned, 8 * MIB, 1.0);
        }
        assertThat(server.lastAccepted).as("the whole 8 MiB again, once a probe passed").isEqualTo(8 * MIB);
        assertThat(learned.maxBodyBytes()).isEqualTo(RequestBodyLimit.NONE);

        server.limit = MIB / 2;
        long before = server.refusals;
        for (int i = 0; i < 20; i++) {
            server.send(learned, 8 * MIB, 1.0);
        }
        assertThat(server.refusals - before).isBetween(1L, 8L);
        assertThat(server.lastAccepted).isBetween(MIB / 2 * 85 / 100, MIB / 2);
    }
}
