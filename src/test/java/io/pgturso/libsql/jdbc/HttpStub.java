package io.pgturso.libsql.jdbc;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A tiny HTTP server on 127.0.0.1 for what the real server cannot do: answer scripted statuses (401, 503...), then
 * pass requests on to a real server; it records every request it sees.
 */
final class HttpStub implements AutoCloseable {

    /** One request as received. */
    record Received(int bodyBytes, String authorization, String body) {
    }

    private record Answer(int status, String body) {
    }

    /** Stands for "never answer" in the script. */
    private static final Answer HANG = new Answer(0, "");

    private final HttpServer server;
    private final String passTo;
    private final Deque<Answer> script = new ArrayDeque<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
    private Answer always;

    private HttpStub(String passTo) throws IOException {
        this.passTo = passTo;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
        // an earlier stub may have had this port: what the driver learned about that one is not this one's
        io.pgturso.libsql.hrana.HranaClient.forget("127.0.0.1:" + server.getAddress().getPort());
    }

    private static boolean isProtocolProbe(HttpExchange exchange, byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        return exchange.getRequestURI().getPath().startsWith("/v3")
                || text.contains("\"is_autocommit\"") && text.contains("\"SELECT 1\"") && !text.contains("BEGIN");
    }

    /** A stub that answers only what it is told to. */
    static HttpStub answering() {
        return passingTo(null);
    }

    /** A stub that passes requests on to {@code url} once its script is used up. */
    static HttpStub passingTo(String url) {
        try {
            return new HttpStub(url);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    synchronized HttpStub thenAnswer(int status, String body) {
        script.add(new Answer(status, body));
        return this;
    }

    /** The next request gets no answer until the stub closes, as a server that stalls after reading it. */
    synchronized HttpStub thenHang() {
        script.add(HANG);
        return this;
    }

    synchronized HttpStub alwaysAnswer(int status, String body) {
        always = new Answer(status, body);
        return this;
    }

    String jdbcUrl() {
        return "jdbc:libsql:http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        if (isProtocolProbe(exchange, body)) {
            // the driver asks once per server which Hrana version it speaks: answered as tursodb does, unrecorded
            Answer answer = exchange.getRequestURI().getPath().startsWith("/v3") || passTo == null
                    ? new Answer(404, "Not Found") : pass(body);
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.status(), bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
            return;
        }
        received.add(new Received(body.length, exchange.getRequestHeaders().getFirst("Authorization"),
                new String(body, StandardCharsets.UTF_8)));
        Answer answer = next();
        if (answer == HANG) {
            awaitClose();
            exchange.close();
            return;
        }
        if (answer == null && passTo != null) {
            answer = pass(body);
        }
        if (answer == null) {
            answer = new Answer(500, "no answer scripted");
        }
        byte[] out = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(answer.status(), out.length == 0 ? -1 : out.length);
        exchange.getResponseBody().write(out);
        exchange.close();
    }

    private void awaitClose() {
        try {
            closed.await(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized Answer next() {
        return script.isEmpty() ? always : script.poll();
    }

    private Answer pass(byte[] body) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(passTo + "/v2/pipeline"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
    }
}
