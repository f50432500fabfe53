package io.pgturso.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.TestTarget;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.camel.spi.Registry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** What the route files call by name exists, and is marked {@link UsedByRoutes}, so that no rename breaks a route unseen. */
@Timeout(120)
class RouteContractTest {
    private static final Path ROUTES = Path.of(System.getProperty("project.dir", ".")).resolve("routes");
    private static final Pattern BEAN_CALL = Pattern.compile("\\$\\{bean:(\\w+)\\?method=(\\w+)}");

    @TempDir
    Path dir;

    /** A bean a route names ({@code ref}), and the method it calls ({@code method}), or null for a processor. */
    record Call(String file, String bean, String method) {
    }

    @Test
    void every_bean_method_a_route_calls_exists_and_is_marked_as_used_by_routes() throws IOException {
        List<Call> calls = calls();
        try (SyncHarness sync = SyncHarness.create(dir, TestTarget.file(dir))) {
            sync.pg().execute("CREATE TABLE items (id int PRIMARY KEY, updated_at timestamptz NOT NULL DEFAULT now())");
            sync.table("items", "table=items", "cursor=updated_at");
            Registry registry = sync.start().camel().getRegistry();

            assertThat(calls).extracting(Call::bean).contains("tableSync", "transformStep", "pageChunks", "deadLetterReplay");
            for (Call call : calls) {
                Object bean = registry.lookupByName(call.bean());
                assertThat(bean).as(call + ": the bean exists").isNotNull();
                Class<?> type = bean.getClass();
                if (call.method() == null) {
                    assertThat(type.isAnnotationPresent(UsedByRoutes.class)).as(call + ": " + type.getSimpleName() + " is marked").isTrue();
                    continue;
                }
                List<Method> named = Arrays.stream(type.getMethods()).filter(m -> m.getName().equals(call.method())).toList();
                assertThat(named).as(call + ": " + type.getSimpleName() + " has the method").isNotEmpty();
                assertThat(named).as(call + ": marked where it is declared")
                        .anyMatch(m -> m.isAnnotationPresent(UsedByRoutes.class) || type.isAnnotationPresent(UsedByRoutes.class));
            }
        }
    }

    /** Every bean step ({@code ref} and {@code method}) and {@code ${bean:NAME?method=M}} call of the shipped route files. */
    private static List<Call> calls() throws IOException {
        List<Call> calls = new ArrayList<>();
        try (Stream<Path> files = Files.list(ROUTES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".camel.yaml")).sorted().toList()) {
                String text = Files.readString(file);
                collect(file.getFileName().toString(), new Load(LoadSettings.builder().build()).loadFromString(text), calls);
                Matcher m = BEAN_CALL.matcher(text);
                while (m.find()) {
                    calls.add(new Call(file.getFileName().toString(), m.group(1), m.group(2)));
                }
            }
        }
        return calls;
    }

    private static void collect(String file, Object node, List<Call> calls) {
        if (node instanceof Map<?, ?> map) {
            if (map.get("ref") instanceof String ref) {
                calls.add(new Call(file, ref, map.get("method") instanceof String m ? m : null));
            }
            map.values().forEach(v -> collect(file, v, calls));
        } else if (node instanceof List<?> list) {
            list.forEach(v -> collect(file, v, calls));
        }
    }
}
