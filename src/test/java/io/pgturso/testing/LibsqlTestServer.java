package io.pgturso.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A libSQL server for tests, written from the Hrana over HTTP spec (v2 and v3, JSON) on sqlite-jdbc and the JDK's
 * HTTP server, with libsql-server's limits: one SQLite connection per stream (batons, {@code close}, 10 s idle
 * expiry), the 5 s write-transaction window, the 10 MB response cap, Bearer tokens, and its error codes. Faults can
 * be injected: an HTTP status before or after the pipeline is applied, a connection reset mid response, latency.
 * Left out: Protobuf encoding, the cursor endpoint, {@code describe}, named arguments.
 */
public final class LibsqlTestServer implements AutoCloseable {

    /** A fault for the next pipeline request. */
    public record Fault(int status, boolean afterApply, boolean reset) {
        /** Answers the HTTP status without running the pipeline. */
        public static Fault statusBefore(int status) {
            return new Fault(status, false, false);
        }

        /** Runs the pipeline (its writes commit), then answers the HTTP status instead of the results. */
        public static Fault statusAfter(int status) {
            return new Fault(status, true, false);
        }

        /** Runs the pipeline, then breaks the connection in the middle of the response. */
        public static Fault resetAfter() {
            return new Fault(0, true, true);
        }
    }

    static final ObjectMapper JSON = new ObjectMapper();
    /** Writes an infinite double as the bare token {@code Infinity}: only there with {@link #infinityTokens(boolean)}. */
    private static final com.fasterxml.jackson.databind.ObjectWriter RESPONSE = JSON.writer()
            .without(com.fasterxml.jackson.core.json.JsonWriteFeature.WRITE_NAN_AS_STRINGS);

    static {
        // The JDK server writes headers and body apart; with Nagle's algorithm each response would wait ~40 ms.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final Path databaseFile;
    /** With {@link #hosts(Path)}: the directory of the databases, one per host name; else null. */
    private final Path hostsDir;
    private final Map<org.sqlite.SQLiteConnection, Path> connectionFiles = new ConcurrentHashMap<>();
    private final Map<Long, Path> streamFiles = new ConcurrentHashMap<>();
    private final HttpServer http;
    private final Object lockRelease = new Object();
    private int lockWaiters;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "libsql-test-server");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<Long, TestStream> streams = new ConcurrentHashMap<>();
    private final Set<Long> expired = ConcurrentHashMap.newKeySet();
    private final Queue<Fault> faults = new ConcurrentLinkedQueue<>();
    private final Queue<Hold> holds = new ConcurrentLinkedQueue<>();
    private final Map<Path, Queue<org.sqlite.SQLiteConnection>> idleConnections = new ConcurrentHashMap<>();
    private volatile boolean stopped;
    private final AtomicLong nextStream = new AtomicLong(1);
    private final AtomicLong pipelines = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong refusedAsTooLarge = new AtomicLong();
    private final java.util.concurrent.atomic.AtomicInteger concurrent = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger maxConcurrent = new java.util.concurrent.atomic.AtomicInteger();
    private final AtomicLong streamsOpened = new AtomicLong();
    private final String secret = UUID.randomUUID().toString();

    private volatile String token;
    private volatile Duration latency = Duration.ZERO;
    private volatile Duration streamIdleTimeout = Duration.ofSeconds(10);
    private volatile Duration transactionTimeout = Duration.ofSeconds(5);
    private volatile long maxResponseBytes = 10L * 1024 * 1024;
    private volatile long maxRequestBytes = Long.MAX_VALUE;
    private volatile boolean v3 = true;
    private volatile boolean infinityTokens;
    private volatile String baseUrl;

    private LibsqlTestServer(Path databaseFile, Path hostsDir, int port) throws IOException {
        this.databaseFile = databaseFile == null ? null : databaseFile.toAbsolutePath();
        this.hostsDir = hostsDir == null ? null : hostsDir.toAbsolutePath();
        Files.createDirectories(hostsDir == null ? this.databaseFile.getParent() : this.hostsDir);
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        http.createContext("/", this::handle);
        http.setExecutor(threads);
        http.start();
        // another server may have had this port: what the driver learned about that one is not this one's
        io.pgturso.libsql.hrana.HranaClient.forget("127.0.0.1:" + http.getAddress().getPort());
    }

    /** Starts a server on a new database file under {@code target/libsql-test-server}. */
    public static LibsqlTestServer start() {
        return start(Path.of("target", "libsql-test-server", "db-" + UUID.randomUUID() + ".db"));
    }

    /** Starts a server on the given database file (created when missing). */
    public static LibsqlTestServer start(Path databaseFile) {
        return start(databaseFile, 0);
    }

    /** Starts a server on the given file and port (0: a free one); a restart uses the file and port of before. */
    public static LibsqlTestServer start(Path databaseFile, int port) {
        try {
            return new LibsqlTestServer(databaseFile, null, port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts a server of many databases told apart by host name, as Turso's (libsql-server with namespaces): the first
     * label of the request's host ({@code acme-myorg} of {@code acme-myorg.turso.io}) names the file
     * {@code dir/acme-myorg.db}; a database whose file does not exist is answered 404, as a namespace that does not
     * exist. Clients reach it through it as their HTTP proxy ({@link #proxyProperties()}): the request line then
     * names the host.
     */
    public static LibsqlTestServer hosts(Path dir) {
        try {
            return new LibsqlTestServer(null, dir, 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The system properties that make Java's HTTP clients reach this server for every non-loopback http host. */
    public Map<String, String> proxyProperties() {
        return Map.of("http.proxyHost", "127.0.0.1", "http.proxyPort", String.valueOf(port()));
    }

    /** Closes the idle connections of a database about to be deleted (with {@link #hosts(Path)}). */
    public void closeDatabase(Path file) {
        Queue<org.sqlite.SQLiteConnection> idle = idleConnections.remove(file.toAbsolutePath());
        if (idle != null) {
            idle.forEach(c -> {
                connectionFiles.remove(c);
                closeQuietly(c);
            });
        }
    }

    /** The database file of a host name's first label (with {@link #hosts(Path)}). */
    public Path databaseOf(String label) {
        return hostsDir.resolve(label + ".db");
    }

    private static LibsqlTestServer shared;

    /** One server for the whole test run, stopped when the JVM exits; tests sharing it use their own tables. */
    public static synchronized LibsqlTestServer shared() {
        if (shared == null) {
            shared = start();
            LibsqlTestServer server = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "libsql-test-server-stop"));
        }
        return shared;
    }

    /** {@code http://127.0.0.1:PORT}. */
    public String url() {
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    /** The JDBC URL of this server for the project's libSQL driver. */
    public String jdbcUrl() {
        return "jdbc:libsql:" + url();
    }

    public int port() {
        return http.getAddress().getPort();
    }

    /** The SQLite file behind the server, to read back after {@link #close()}. */
    public Path databaseFile() {
        return databaseFile;
    }

    /** Requires {@code Authorization: Bearer TOKEN} (null: no check). */
    public LibsqlTestServer token(String token) {
        this.token = token;
        return this;
    }

    /** Delay before each request is handled: half a simulated round trip each way. */
    public LibsqlTestServer latency(Duration latency) {
        this.latency = latency;
        return this;
    }

    public LibsqlTestServer streamIdleTimeout(Duration timeout) {
        this.streamIdleTimeout = timeout;
        return this;
    }

    /** How long a write transaction may hold the lock while another writer waits before it is rolled back. */
    public LibsqlTestServer transactionTimeout(Duration timeout) {
        this.transactionTimeout = timeout;
        return this;
    }

    /** Most bytes of rows one statement may return ({@code RESPONSE_TOO_LARGE} beyond). */
    public LibsqlTestServer maxResponseBytes(long bytes) {
        this.maxResponseBytes = bytes;
        return this;
    }

    /**
     * Most request body bytes: a larger body is answered HTTP 413 and not run, as libSQL's Python test server (aiohttp,
     * 1 MiB) and proxies (nginx's {@code client_max_body_size}, 1 MiB) do; libsql-server itself has no such limit.
     */
    public LibsqlTestServer maxRequestBytes(long bytes) {
        this.maxRequestBytes = bytes;
        return this;
    }

    /**
     * Writes an infinite REAL as the bare JSON tokens {@code Infinity} / {@code -Infinity}, as libSQL's Python test
     * server does (Python's {@code json}), instead of libsql-server's {@code null}.
     */
    public LibsqlTestServer infinityTokens(boolean tokens) {
        this.infinityTokens = tokens;
        return this;
    }

    boolean infinityTokens() {
        return infinityTokens;
    }

    /** Whether {@code /v3/pipeline} is served (false: a v2-only server, 404 there). */
    public LibsqlTestServer v3(boolean served) {
        this.v3 = served;
        return this;
    }

    /** The {@code base_url} returned with batons (null: none). */
    public LibsqlTestServer baseUrl(String baseUrl) {
        this.baseUrl = baseUrl;
        return this;
    }

    /** Queues a fault for the next pipeline request (faults apply one per request, in order). */
    public LibsqlTestServer inject(Fault fault) {
        faults.add(fault);
        return this;
    }

    /**
     * Holds back the next pipeline request whose JSON body {@code held} accepts (before anything of it runs) until a
     * request that {@code releasedBy} accepts has been handled, or at most {@code atMost}: makes a later request land first.
     */
    public Hold hold(java.util.function.Predicate<String> held, java.util.function.Predicate<String> releasedBy, Duration atMost) {
        Hold hold = new Hold(held, releasedBy, atMost);
        holds.add(hold);
        return hold;
    }

    /** A request held back by {@link #hold}: whether one was held, and whether the releasing request came first. */
    public static final class Hold {
        private final java.util.function.Predicate<String> held;
        private final java.util.function.Predicate<String> releasedBy;
        private final Duration atMost;
        private final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        private final java.util.concurrent.atomic.AtomicBoolean taken = new java.util.concurrent.atomic.AtomicBoolean();
        private volatile boolean releasedByRequest;

        private Hold(java.util.function.Predicate<String> held, java.util.function.Predicate<String> releasedBy, Duration atMost) {
            this.held = held;
            this.releasedBy = releasedBy;
            this.atMost = atMost;
        }

        /** Whether a request was held back. */
        public boolean tookHold() {
            return taken.get();
        }

        /** Whether the held request was let go by the releasing request (not by the time limit). */
        public boolean releasedByRequest() {
            return releasedByRequest;
        }

        /** Lets the held request (or the next one to be held) go now. */
        public void release() {
            release.countDown();
        }

        private void await() {
            try {
                release.await(atMost.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void handled(String body) {
            if (taken.get() && release.getCount() > 0 && releasedBy.test(body)) {
                releasedByRequest = true;
                release.countDown();
            }
        }
    }

    /** Pipeline requests received and run (not those refused before: 413, 401). */
    public long pipelines() {
        return pipelines.get();
    }

    /** HTTP requests received, whatever the answer. */
    public long requests() {
        return requests.get();
    }

    /** Requests answered HTTP 413 for a body over {@link #maxRequestBytes(long)}. */
    public long refusedAsTooLarge() {
        return refusedAsTooLarge.get();
    }

    /** The most pipeline requests handled at the same time so far. */
    public int maxConcurrentPipelines() {
        return maxConcurrent.get();
    }

    /** Streams (SQLite connections) still open: not closed and not expired. */
    public int openStreams() {
        expireIdleStreams();
        return streams.size();
    }

    /** Streams opened since the start. */
    public long streamsOpened() {
        return streamsOpened.get();
    }

    Duration transactionTimeout() {
        return transactionTimeout;
    }

    /** Blocks a stream waiting for the write lock until a statement ends outside a transaction, at most {@code max}. */
    void awaitWriteLock(Duration max) {
        synchronized (lockRelease) {
            lockWaiters++;
            try {
                lockRelease.wait(Math.max(1, max.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                lockWaiters--;
            }
        }
    }

    /** Wakes the streams waiting for the write lock: a statement just ended outside a transaction. */
    void writeLockMayBeFree() {
        synchronized (lockRelease) {
            if (lockWaiters > 0) {
                lockRelease.notifyAll();
            }
        }
    }

    long maxResponseBytes() {
        return maxResponseBytes;
    }

    Iterable<TestStream> streams() {
        return streams.values();
    }

    /** Takes back the SQLite connection of a closed stream, to serve a later stream (as libsql-server pools them). */
    void release(org.sqlite.SQLiteConnection connection) {
        Path file = connectionFiles.get(connection);
        if (stopped || file == null) {
            connectionFiles.remove(connection);
            closeQuietly(connection);
        } else {
            idleConnections.computeIfAbsent(file, f -> new ConcurrentLinkedQueue<>()).add(connection);
        }
    }

    private static void closeQuietly(org.sqlite.SQLiteConnection connection) {
        try {
            connection.close();
        } catch (java.sql.SQLException ignored) {
            // the server is stopping
        }
    }

    @Override
    public void close() {
        stopped = true;
        http.stop(0);
        threads.shutdownNow();
        streams.values().forEach(TestStream::close);
        streams.clear();
        for (Queue<org.sqlite.SQLiteConnection> idle : idleConnections.values()) {
            idle.forEach(LibsqlTestServer::closeQuietly);
        }
        idleConnections.clear();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.incrementAndGet();
            sleep(latency);
            String path = exchange.getRequestURI().getPath();
            String version = path.startsWith("/v3") ? "v3" : path.startsWith("/v2") ? "v2" : "";
            if (version.isEmpty() || "v3".equals(version) && !v3) {
                text(exchange, 404, "Not Found");
                return;
            }
            if ("GET".equals(exchange.getRequestMethod()) && path.equals("/" + version)) {
                text(exchange, 200, "Hello, this is HTTP API " + version);
                return;
            }
            if (!"POST".equals(exchange.getRequestMethod()) || !path.equals("/" + version + "/pipeline")) {
                text(exchange, 404, "Not Found");
                return;
            }
            Path file = databaseFile;
            if (hostsDir != null) {
                String host = exchange.getRequestURI().getHost() != null ? exchange.getRequestURI().getHost()
                        : exchange.getRequestHeaders().getFirst("Host");
                String label = host == null ? "" : host.replaceAll("[.:].*", "");
                file = databaseOf(label);
                if (label.isEmpty() || !Files.exists(file)) {
                    text(exchange, 404, "{\"error\":\"Namespace `" + label + "` doesn't exist\"}");
                    return;
                }
            }
            if (token != null && !("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                text(exchange, 401, "{\"error\":\"Unauthorized: the token is missing or invalid\"}");
                return;
            }
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            if (body.length > maxRequestBytes) {
                refusedAsTooLarge.incrementAndGet();
                text(exchange, 413, "Maximum request body size " + maxRequestBytes + " exceeded, actual body size "
                        + body.length);
                return;
            }
            String text = holds.isEmpty() ? null : new String(body, StandardCharsets.UTF_8);
            Hold hold = text == null ? null : holds.stream().filter(h -> !h.taken.get() && h.held.test(text)
                    && h.taken.compareAndSet(false, true)).findFirst().orElse(null);
            if (hold != null) {
                hold.await();
                holds.remove(hold);
            }
            pipelines.incrementAndGet();
            maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
            try {
                pipeline(exchange, body, "v3".equals(version), file);
            } finally {
                concurrent.decrementAndGet();
                if (text != null) {
                    holds.forEach(h -> h.handled(text));
                }
            }
        }
    }

    private void pipeline(HttpExchange exchange, byte[] body, boolean v3Request, Path file) throws IOException {
        Fault fault = faults.poll();
        if (fault != null && !fault.afterApply()) {
            text(exchange, fault.status(), "{\"error\":\"injected HTTP " + fault.status() + "\"}");
            return;
        }
        JsonNode request;
        try {
            request = PipelineJson.read(body);
        } catch (IOException | RuntimeException e) {
            text(exchange, 400, "Could not deserialize JSON request body: " + e.getMessage());
            return;
        }
        expireIdleStreams();
        TestStream stream;
        String baton = request.path("baton").isTextual() ? request.get("baton").asText() : null;
        try {
            stream = acquire(baton, file);
        } catch (StreamExpired e) {
            text(exchange, 400, "{\"message\":\"The stream has expired due to inactivity\",\"code\":\"STREAM_EXPIRED\"}");
            return;
        } catch (IllegalArgumentException e) {
            text(exchange, 400, e.getMessage());
            return;
        }
        ObjectNode response = JSON.createObjectNode();
        try {
            ArrayNode results = response.putArray("results");
            for (JsonNode streamRequest : request.path("requests")) {
                results.add(stream.run(streamRequest, v3Request));
            }
        } catch (TestStream.ProtocolError e) {
            drop(stream);
            text(exchange, 400, e.getMessage());
            return;
        } finally {
            stream.release();
        }
        if (stream.isClosed()) {
            streams.remove(stream.id());
            streamFiles.remove(stream.id());
            response.putNull("baton");
            response.putNull("base_url");
        } else {
            response.put("baton", stream.nextBaton(secret));
            if (baseUrl == null) {
                response.putNull("base_url");
            } else {
                response.put("base_url", baseUrl);
            }
        }
        if (fault != null) {
            drop(stream);
            if (fault.reset()) {
                byte[] bytes = RESPONSE.writeValueAsBytes(response);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, bytes.length);
                exchange.getResponseBody().write(bytes, 0, bytes.length / 2);
                exchange.getResponseBody().flush();
                // closing with the body half written makes the JDK server drop the connection
                return;
            }
            text(exchange, fault.status(), "{\"error\":\"injected HTTP " + fault.status() + " after applying\"}");
            return;
        }
        byte[] bytes = RESPONSE.writeValueAsBytes(response);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private TestStream acquire(String baton, Path file) throws StreamExpired {
        if (baton == null) {
            org.sqlite.SQLiteConnection idle = idleConnections.computeIfAbsent(file, f -> new ConcurrentLinkedQueue<>()).poll();
            if (idle == null) {
                idle = TestStream.open(file);
                connectionFiles.put(idle, file);
            }
            TestStream stream = new TestStream(this, nextStream.getAndIncrement(), idle);
            streamsOpened.incrementAndGet();
            streams.put(stream.id(), stream);
            streamFiles.put(stream.id(), file);
            stream.acquire(null, secret);
            return stream;
        }
        long id = TestStream.streamOf(baton);
        TestStream stream = streams.get(id);
        if (stream != null && !file.equals(streamFiles.get(id))) {
            throw new IllegalArgumentException("Received an invalid baton");
        }
        if (stream == null) {
            if (expired.contains(id)) {
                throw new StreamExpired();
            }
            throw new IllegalArgumentException("Received an invalid baton");
        }
        stream.acquire(baton, secret);
        return stream;
    }

    private void drop(TestStream stream) {
        streams.remove(stream.id());
        streamFiles.remove(stream.id());
        stream.close();
    }

    private void expireIdleStreams() {
        long now = System.nanoTime();
        for (TestStream stream : streams.values()) {
            if (stream.idleSince(now).compareTo(streamIdleTimeout) > 0 && stream.tryExpire()) {
                streams.remove(stream.id());
                streamFiles.remove(stream.id());
                expired.add(stream.id());
            }
        }
    }

    private static void text(HttpExchange exchange, int status, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", text.startsWith("{") ? "application/json" : "text/plain");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    static void sleep(Duration pause) {
        if (pause.isZero()) {
            return;
        }
        try {
            Thread.sleep(pause.toMillis(), (int) (pause.toNanosPart() % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class StreamExpired extends Exception {
    }
}
