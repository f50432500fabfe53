package io.pgturso.libsql.hrana;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Sends pipeline requests to one libSQL server over HTTP, retrying failures that are safe to retry. */
public final class HranaClient {

    // One JDK client per (connect timeout, version): they pool connections and own threads, so share them.
    private static final Map<String, HttpClient> SHARED = new ConcurrentHashMap<>();
    /** Servers that answered {@code close} with "unknown variant": their pipelines are sent without it. */
    private static final java.util.Set<String> SERVERS_WITHOUT_CLOSE = ConcurrentHashMap.newKeySet();
    /** Per server: which Hrana version it speaks. */
    private static final Map<String, Protocol> PROTOCOLS = new ConcurrentHashMap<>();
    /** Per server: the largest request body it takes, learned from its HTTP 413 answers. */
    private static final Map<String, RequestBodyLimit> BODY_LIMITS = new ConcurrentHashMap<>();

    private final String baseUri;

    private final URI pipelineUri;
    private final URI v3PipelineUri;
    private final String host;
    private final AuthToken token;
    private final Duration requestTimeout;
    private final RetryPolicy retryPolicy;
    private final HttpClient http;
    private final RequestListener listener;
    private final AtomicLong requestsSent = new AtomicLong();
    private final RequestBodyLimit bodyLimit;
    private volatile boolean closeStreams;
    private volatile boolean lastExchangeFailedTransiently;

    public HranaClient(URI baseUri, AuthToken token, Duration connectTimeout, Duration requestTimeout,
                       RetryPolicy retryPolicy) {
        this(baseUri, token, connectTimeout, requestTimeout, retryPolicy, false);
    }

    /**
     * With {@code closeStreams}, every pipeline ends with a {@code close} request (as the spec wants, and Turso Cloud
     * honours); a server that rejects {@code close} (Turso's local {@code tursodb}) is remembered and not asked again.
     */
    public HranaClient(URI baseUri, AuthToken token, Duration connectTimeout, Duration requestTimeout,
                       RetryPolicy retryPolicy, boolean closeStreams) {
        this(baseUri, token, connectTimeout, requestTimeout, retryPolicy, closeStreams, RequestListener.NONE);
    }

    /**
     * Forgets what was learned about the server at {@code hostAndPort} (its protocol, whether it takes {@code close},
     * its request body limit), for a different server now listening at the same address.
     */
    public static void forget(String hostAndPort) {
        java.util.function.Predicate<String> at = uri -> uri.contains("://" + hostAndPort + "/") || uri.endsWith("://" + hostAndPort);
        SERVERS_WITHOUT_CLOSE.removeIf(at);
        PROTOCOLS.keySet().removeIf(at);
        BODY_LIMITS.keySet().removeIf(at);
    }

    /** As above, with a listener that hears of every request, retry and failure. */
    public HranaClient(URI baseUri, AuthToken token, Duration connectTimeout, Duration requestTimeout,
                       RetryPolicy retryPolicy, boolean closeStreams, RequestListener listener) {
        this.listener = listener == null ? RequestListener.NONE : listener;
        this.closeStreams = closeStreams && !SERVERS_WITHOUT_CLOSE.contains(baseUri.toString());
        this.baseUri = baseUri.toString();
        this.bodyLimit = BODY_LIMITS.computeIfAbsent(this.baseUri, uri -> new RequestBodyLimit());
        this.pipelineUri = pipelineUri(baseUri, "v2");
        this.v3PipelineUri = pipelineUri(baseUri, "v3");
        this.host = baseUri.getPort() < 0 ? baseUri.getHost() : baseUri.getHost() + ":" + baseUri.getPort();
        this.token = token;
        this.requestTimeout = requestTimeout;
        this.retryPolicy = retryPolicy;
        // Plain http would otherwise try an h2c upgrade on every POST; https negotiates HTTP/2 through ALPN.
        HttpClient.Version version = "https".equals(baseUri.getScheme()) ? HttpClient.Version.HTTP_2
                : HttpClient.Version.HTTP_1_1;
        this.http = SHARED.computeIfAbsent(version + "/" + connectTimeout.toMillis(), key -> HttpClient.newBuilder()
                .version(version)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                // Java's proxy settings (-Dhttps.proxyHost, -Dhttp.proxyHost), when given: none by default
                .proxy(java.util.Objects.requireNonNullElse(java.net.ProxySelector.getDefault(),
                        HttpClient.Builder.NO_PROXY))
                .build());
    }

    private static URI pipelineUri(URI base, String version) {
        String path = base.getPath() == null ? "" : base.getPath();
        String prefix = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return base.resolve(prefix + "/" + version + "/pipeline");
    }

    /** What a server understands of the Hrana versions, asked once per server. */
    public enum Protocol {
        /** Hrana 3 over {@code /v3/pipeline}: the {@code is_autocommit} condition is there. */
        V3,
        /** {@code /v2/pipeline} only, but the server also accepts {@code is_autocommit} (Turso's {@code tursodb}). */
        V2_WITH_IS_AUTOCOMMIT,
        /** {@code /v2/pipeline} only, as the v2 spec says: no {@code is_autocommit}. */
        V2
    }

    /**
     * The server's protocol, found once per server: an empty pipeline (just {@code close}) on {@code /v3/pipeline},
     * and when that is refused, a batch with an {@code is_autocommit} condition on {@code /v2/pipeline}.
     */
    public Protocol protocol() throws HranaException {
        Protocol known = PROTOCOLS.get(baseUri);
        if (known != null) {
            return known;
        }
        Protocol found;
        if (accepts(v3PipelineUri, PipelineRequest.of(new StreamRequest.Close()))) {
            found = Protocol.V3;
        } else {
            PipelineRequest probe = PipelineRequest.of(StreamRequest.batch(List.of(
                    BatchStep.when(BatchCondition.isAutocommit(), Stmt.of("SELECT 1")))));
            found = accepts(pipelineUri, probe) ? Protocol.V2_WITH_IS_AUTOCOMMIT : Protocol.V2;
        }
        PROTOCOLS.put(baseUri, found);
        return found;
    }

    // True for a 2xx answer, false for a refusal (404, 400); outages and rejected tokens are thrown.
    private boolean accepts(URI uri, PipelineRequest probe) throws HranaException {
        try {
            PipelineResponse response = sendAttempts(uri, HranaCodec.encode(probe, 256), true, requestTimeout, false);
            return response.results().stream().allMatch(StreamResult.Ok.class::isInstance);
        } catch (HranaException e) {
            if (e.kind() != HranaException.Kind.HTTP_STATUS || e.httpStatus() == 401 || e.httpStatus() == 403
                    || e.isTransient()) {
                throw e;
            }
            return false;
        }
    }

    /** True when the last request failed with an outage (connection refused or lost, timeout, 5xx, 429). */
    public boolean lastExchangeFailedTransiently() {
        return lastExchangeFailedTransiently;
    }

    /** host[:port] of the server, for messages. */
    public String host() {
        return host;
    }

    /**
     * The most request body bytes to plan the next requests with: unlimited until the server refused a body as too
     * large (HTTP 413), then what was learned to fit, shared by every client of this server; now and then a larger
     * size, to find a raised limit.
     */
    public long maxBodyBytes() {
        return bodyLimit.maxBodyBytes();
    }

    /** How many pipeline requests this client has sent, retries included (the one-time protocol probe not). */
    public long requestsSent() {
        return requestsSent.get();
    }

    /**
     * Sends the pipeline. Failures are retried within the policy when the server certainly did not apply the
     * request, or at any transient failure when {@code repeatable} says applying it twice is harmless.
     */
    public PipelineResponse send(PipelineRequest request, boolean repeatable, Duration timeout)
            throws HranaException {
        if (closeStreams) {
            List<StreamRequest> withClose = new java.util.ArrayList<>(request.requests());
            withClose.add(new StreamRequest.Close());
            try {
                PipelineResponse response = sendAttempts(new PipelineRequest(request.baton(), withClose), repeatable, timeout);
                List<StreamResult> results = response.results();
                return new PipelineResponse(response.baton(), response.baseUrl(),
                        results.isEmpty() ? results : results.subList(0, results.size() - 1));
            } catch (HranaException e) {
                if (!rejectsClose(e)) {
                    throw e;
                }
                // the server refused the request's JSON before running any of it: safe to send again without close
                closeStreams = false;
                SERVERS_WITHOUT_CLOSE.add(baseUri);
            }
        }
        return sendAttempts(request, repeatable, timeout);
    }

    private static boolean rejectsClose(HranaException e) {
        return e.httpStatus() == 500 && e.getMessage() != null && e.getMessage().contains("unknown variant")
                && e.getMessage().contains("close");
    }

    /** Whether pipelines currently end with a {@code close} request. */
    public boolean closesStreams() {
        return closeStreams;
    }

    private PipelineResponse sendAttempts(PipelineRequest request, boolean repeatable, Duration timeout)
            throws HranaException {
        return sendAttempts(protocol() == Protocol.V3 ? v3PipelineUri : pipelineUri,
                HranaCodec.encode(request, request.sizeHint()), repeatable, timeout, true);
    }

    private PipelineResponse sendAttempts(URI uri, RequestBody body, boolean repeatable, Duration timeout,
                                          boolean counted)
            throws HranaException {
        long started = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            try {
                if (counted) {
                    requestsSent.incrementAndGet();
                }
                PipelineResponse response = sendOnce(uri, body, timeout == null ? requestTimeout : timeout);
                bodyLimit.accepted(body.length());
                lastExchangeFailedTransiently = false;
                if (counted) {
                    answered(response);
                }
                return response;
            } catch (HranaException failure) {
                lastExchangeFailedTransiently = failure.isTransient();
                if (failure.httpStatus() == 413) {
                    bodyLimit.refused(body.length());
                }
                if (counted && !(closeStreams && rejectsClose(failure))) {
                    // (a refused close is the server's dialect, not a failure: the request is sent again without it)
                    listener.requestFailed(host, FailureKind.of(failure));
                }
                // A request that timed out has used its time: it is not run again (the caller may retry later). A body
                // refused as too large would be refused again: the caller sends it smaller.
                boolean retryable = failure.httpStatus() != 413 && (failure.certainlyNotApplied()
                        || repeatable && failure.isTransient() && failure.kind() != HranaException.Kind.TIMEOUT);
                Duration pause = retryable ? pauseBefore(attempt + 1, failure, started) : null;
                if (pause == null) {
                    throw failure;
                }
                if (counted) {
                    listener.requestRetried(host, FailureKind.of(failure));
                }
                sleep(pause, failure);
            }
        }
    }

    // Tells the listener of the answer and of every statement failure in it.
    private void answered(PipelineResponse response) {
        listener.requestSent(host);
        for (StreamResult result : response.results()) {
            if (result instanceof StreamResult.Failed failed) {
                listener.statementFailed(host, FailureKind.of(failed.error()));
            } else if (result instanceof StreamResult.Ok ok && ok.response() instanceof StreamResponse.Batch batch) {
                batch.result().stepErrors().stream().filter(java.util.Objects::nonNull)
                        .forEach(error -> listener.statementFailed(host, FailureKind.of(error)));
            }
        }
    }

    /** The listener given at construction (never null). */
    public RequestListener listener() {
        return listener;
    }

    /** The pause before the next attempt, or null when the attempts or the time budget are used up. */
    private Duration pauseBefore(int nextAttempt, HranaException failure, long startedNanos) {
        if (nextAttempt > retryPolicy.maxAttempts()) {
            return null;
        }
        Duration pause = retryPolicy.backoff(nextAttempt - 1);
        if (failure.getCause() instanceof RetryAfter hint && hint.delay.compareTo(pause) > 0) {
            pause = hint.delay;
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - startedNanos);
        return elapsed.plus(pause).compareTo(retryPolicy.maxElapsed()) > 0 ? null : pause;
    }

    private static void sleep(Duration pause, HranaException failure) throws HranaException {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure;
        }
    }

    private PipelineResponse sendOnce(URI uri, RequestBody body, Duration timeout) throws HranaException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                // A byte-array body has a Content-Length; the local server rejects chunked bodies.
                .POST(body.publisher());
        if (token != null) {
            builder.header("Authorization", token.headerValue());
        }
        HttpResponse<byte[]> response = exchange(builder.build());
        if (response.statusCode() / 100 != 2) {
            throw httpFailure(response);
        }
        try {
            return HranaCodec.decode(response.body());
        } catch (IOException e) {
            throw new HranaException(HranaException.Kind.BAD_RESPONSE, response.statusCode(), host,
                    "unreadable response from " + host + ": " + e.getMessage(), e);
        }
    }

    private HttpResponse<byte[]> exchange(HttpRequest request) throws HranaException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpConnectTimeoutException e) {
            throw failure(HranaException.Kind.CONNECT_FAILED, "connect timeout to " + host, e);
        } catch (HttpTimeoutException e) {
            throw failure(HranaException.Kind.TIMEOUT,
                    "no response from " + host + " in time; the request may or may not have been applied", e);
        } catch (ConnectException e) {
            throw failure(HranaException.Kind.CONNECT_FAILED, "cannot connect to " + host + " (" + e + ")", e);
        } catch (IOException e) {
            throw failure(HranaException.Kind.CONNECTION_LOST, "connection to " + host
                    + " lost; the request may or may not have been applied (" + e + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure(HranaException.Kind.CONNECTION_LOST, "interrupted while waiting for " + host, e);
        }
    }

    private HranaException failure(HranaException.Kind kind, String message, Throwable cause) {
        return new HranaException(kind, 0, host, message, cause);
    }

    private HranaException httpFailure(HttpResponse<byte[]> response) {
        int status = response.statusCode();
        String detail = "";
        String code = status == 401 || status == 403 ? null : HranaCodec.errorCode(response.body());
        if (status != 401 && status != 403) {
            String text = HranaCodec.errorMessage(response.body());
            if (text == null) {
                text = new String(response.body(), StandardCharsets.UTF_8);
            }
            text = text.length() > 300 ? text.substring(0, 300) + "..." : text;
            detail = ": " + (token == null ? text : token.scrub(text));
        }
        Throwable hint = RetryAfter.from(response).orElse(null);
        HranaException failure = new HranaException(HranaException.Kind.HTTP_STATUS, status, host,
                "HTTP " + status + " from " + host + detail, hint, code);
        return failure.outcomeUnknown() ? new HranaException(HranaException.Kind.HTTP_STATUS, status, host,
                failure.getMessage() + "; the request may or may not have been applied", hint, code) : failure;
    }

    @Override
    public String toString() {
        return "HranaClient[" + pipelineUri + "]";
    }

    /** A server's {@code Retry-After} in seconds, carried as the cause of the failure it came with. */
    private static final class RetryAfter extends Exception {
        private final Duration delay;

        private RetryAfter(Duration delay) {
            super("Retry-After " + delay.toSeconds() + "s", null, false, false);
            this.delay = delay;
        }

        static java.util.Optional<RetryAfter> from(HttpResponse<?> response) {
            return response.headers().firstValue("Retry-After")
                    .filter(v -> v.strip().matches("\\d{1,6}"))
                    .map(v -> new RetryAfter(Duration.ofSeconds(Long.parseLong(v.strip()))));
        }
    }
}
