package io.pgturso.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fake of Turso's Platform API, the databases of one organization as its reference documents them:
 * {@code POST /v1/organizations/{org}/databases} with {@code name}, {@code group} and an optional
 * {@code seed {"type": "database", "name"}} answers {@code {"database": {"DbId", "Hostname", "Name"}}}, 409 when the
 * name is taken, 400 for an invalid name, 404 for an unknown organization or group, 401 without the platform token;
 * {@code DELETE .../databases/{name}} drops one. Errors are {@code {"error": "..."}}. Each database is a file of a
 * {@link LibsqlTestServer#hosts(Path)} server, reached at {@code NAME-ORG.DOMAIN}.
 */
public final class FakeTursoPlatform implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Turso's rule for database names: lowercase letters, digits and dashes, at most 64 characters. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    private static final Pattern DATABASES = Pattern.compile("/v1/organizations/([^/]+)/databases(?:/([^/]+))?");

    private final String org;
    private final String token;
    private final Set<String> groups;
    private final LibsqlTestServer databases;
    private final String domain;
    private final HttpServer http;
    private final List<String> created = new CopyOnWriteArrayList<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();

    private FakeTursoPlatform(String org, String token, Set<String> groups, LibsqlTestServer databases, String domain)
            throws IOException {
        this.org = org;
        this.token = token;
        this.groups = groups;
        this.databases = databases;
        this.domain = domain;
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        http.createContext("/", this::handle);
        http.start();
    }

    /** The API of organization {@code org} with these groups, platform token {@code token}, databases in {@code databases}. */
    public static FakeTursoPlatform start(String org, String token, Set<String> groups, LibsqlTestServer databases,
            String domain) {
        try {
            return new FakeTursoPlatform(org, token, groups, databases, domain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code http://127.0.0.1:PORT} (what sync.fan-out.api-url is set to). */
    public String url() {
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    /** The database names created, in order. */
    public List<String> created() {
        return List.copyOf(created);
    }

    /** Every request, as {@code METHOD PATH STATUS}. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    /** The file of a database of the organization. */
    public Path file(String name) {
        return databases.databaseOf(name + "-" + org);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            int status = answer(exchange);
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " " + status);
        }
    }

    private int answer(HttpExchange exchange) throws IOException {
        if (!("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            return error(exchange, 401, "could not parse jwt token: token is malformed");
        }
        Matcher path = DATABASES.matcher(exchange.getRequestURI().getPath());
        if (!path.matches()) {
            return error(exchange, 404, "not found");
        }
        if (!path.group(1).equals(org)) {
            return error(exchange, 404, "organization " + path.group(1) + " not found");
        }
        String method = exchange.getRequestMethod();
        if (path.group(2) == null && method.equals("POST")) {
            JsonNode body;
            try (InputStream in = exchange.getRequestBody()) {
                body = JSON.readTree(in);
            } catch (IOException e) {
                return error(exchange, 400, "invalid request body");
            }
            return create(exchange, body);
        }
        if (path.group(2) != null && method.equals("DELETE")) {
            Path file = file(path.group(2));
            if (!Files.exists(file)) {
                return error(exchange, 404, "database " + path.group(2) + " not found");
            }
            databases.closeDatabase(file);
            for (String suffix : List.of("", "-wal", "-shm")) {
                Files.deleteIfExists(Path.of(file + suffix));
            }
            return json(exchange, 200, JSON.createObjectNode().put("database", path.group(2)));
        }
        return error(exchange, 405, "method not allowed");
    }

    private int create(HttpExchange exchange, JsonNode body) throws IOException {
        String name = body.path("name").asText("");
        String group = body.path("group").asText("");
        if (!NAME.matcher(name).matches()) {
            return error(exchange, 400, "invalid database name '" + name + "': only lowercase letters, numbers and dashes, "
                    + "at most 64 characters");
        }
        if (!groups.contains(group)) {
            return error(exchange, 404, "group " + group + " not found");
        }
        Path file = file(name);
        if (Files.exists(file)) {
            return error(exchange, 409, "database with name " + name + " already exists");
        }
        JsonNode seed = body.path("seed");
        if (!seed.isMissingNode() && !seed.isNull()) {
            Path from = file(seed.path("name").asText(""));
            if (!"database".equals(seed.path("type").asText()) || !Files.exists(from)) {
                return error(exchange, 400, "seed database " + seed.path("name").asText("") + " not found");
            }
            Files.copy(from, file);
        } else {
            Files.createFile(file);
        }
        created.add(name);
        ObjectNode answer = JSON.createObjectNode();
        answer.putObject("database").put("DbId", UUID.randomUUID().toString())
                .put("Hostname", name + "-" + org + "." + domain).put("Name", name);
        return json(exchange, 200, answer);
    }

    private static int error(HttpExchange exchange, int status, String message) throws IOException {
        return json(exchange, status, JSON.createObjectNode().put("error", message));
    }

    private static int json(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
        return status;
    }

    @Override
    public void close() {
        http.stop(0);
    }
}
