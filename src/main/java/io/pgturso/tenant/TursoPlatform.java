package io.pgturso.tenant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turso's Platform API, the part that creates and drops databases: {@code POST /v1/organizations/{org}/databases}
 * with {@code name}, {@code group} and an optional {@code seed}, and {@code DELETE .../databases/{name}}, with a
 * platform token as bearer. 409 means the database exists (created by an earlier run, or by you): it is used as it
 * is. An outage (no answer, 429, 5xx) is retried by the pass; a refusal (401 token, 402 plan, 403, 400) fails it
 * with the API's message and the setting to fix.
 */
public class TursoPlatform {
    private static final Logger LOG = LoggerFactory.getLogger(TursoPlatform.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String apiUrl;
    private final String org;
    private final String group;
    private final String seed;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL).build();

    public TursoPlatform(String apiUrl, String org, String group, String seed, String token) {
        this.apiUrl = apiUrl.endsWith("/") ? apiUrl.substring(0, apiUrl.length() - 1) : apiUrl;
        this.org = org;
        this.group = group;
        this.seed = seed;
        this.token = token;
    }

    /** Creates the database in the group; true when it was created now, false when it existed already. */
    public boolean create(String database) {
        ObjectNode body = JSON.createObjectNode().put("name", database).put("group", group);
        if (seed != null) {
            body.putObject("seed").put("type", "database").put("name", seed);
        }
        HttpResponse<String> response = send(HttpRequest.newBuilder(databases(""))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())), "create database " + database);
        if (response.statusCode() == 409) {
            return false;
        }
        check(response, "create database " + database);
        LOG.debug("Created Turso database {} ({})", database, hostname(response.body()));
        return true;
    }

    /** Deletes the database; false when it did not exist. */
    public boolean delete(String database) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(databases("/" + encode(database))).DELETE(),
                "delete database " + database);
        if (response.statusCode() == 404) {
            return false;
        }
        check(response, "delete database " + database);
        return true;
    }

    private URI databases(String rest) {
        return URI.create(apiUrl + "/v1/organizations/" + encode(org) + "/databases" + rest);
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String what) {
        try {
            HttpResponse<String> response = http.send(request.header("Authorization", "Bearer " + token)
                    .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 429 || response.statusCode() >= 500) {
                throw new UncheckedIOException(new IOException("Turso Platform API: " + what + ": HTTP " + response.statusCode()
                        + " " + message(response.body()) + " (retried)"));
            }
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException(new IOException("Turso Platform API at " + apiUrl + " not reached (" + what + "): "
                    + e.getMessage() + " (check sync.fan-out.api-url)", e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted: " + what, e));
        }
    }

    private void check(HttpResponse<String> response, String what) {
        int status = response.statusCode();
        if (status / 100 == 2) {
            return;
        }
        String fix = switch (status) {
            case 401 -> "the platform token is invalid or expired: set TURSO_API_TOKEN (or sync.fan-out.api-token)";
            case 402 -> "the organization's plan allows no more databases";
            case 403 -> "the platform token may not do this in organization '" + org + "': check sync.fan-out.org and the token";
            case 404 -> "organization '" + org + "' or group '" + group + "' not found: check sync.fan-out.org and sync.fan-out.group";
            default -> "check sync.fan-out.org, sync.fan-out.group and sync.fan-out.seed";
        };
        throw new TenantCreationException("Turso Platform API refused to " + what + ": HTTP " + status + " "
                + message(response.body()) + " (" + fix + ")");
    }

    private static String message(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            return node.hasNonNull("error") ? node.get("error").asText() : body;
        } catch (IOException | RuntimeException e) {
            return body == null ? "" : body.length() > 200 ? body.substring(0, 200) : body;
        }
    }

    private static String hostname(String body) {
        try {
            return JSON.readTree(body).path("database").path("Hostname").asText("");
        } catch (IOException e) {
            return "";
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "Turso Platform API " + apiUrl + ", organization " + org + ", group " + group;
    }
}
