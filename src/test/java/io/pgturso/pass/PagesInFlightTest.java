package io.pgturso.pass;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Pages written at once: the checkpoint still moves past them one by one, in page order. */
class PagesInFlightTest {

    private static Page page(int n) {
        return new Page(10, List.of(Integer.toString(n)), false, false);
    }

    @Test
    void checkpoints_move_in_page_order_whatever_order_the_writes_finish_in() {
        PagesInFlight inFlight = new PagesInFlight();
        Page first = page(1);
        Page second = page(2);
        Page third = page(3);
        inFlight.handOver(first);
        inFlight.handOver(second);
        inFlight.handOver(third);
        List<String> checkpoints = new ArrayList<>();

        inFlight.written(third, pages -> pages.forEach(p -> checkpoints.add(p.position().get(0))));
        inFlight.written(second, pages -> pages.forEach(p -> checkpoints.add(p.position().get(0))));
        assertThat(checkpoints).as("nothing passes the first page while it is written").isEmpty();
        assertThat(third.written()).isNotDone();

        List<Integer> saves = new ArrayList<>();
        inFlight.written(first, pages -> {
            saves.add(pages.size());
            pages.forEach(p -> checkpoints.add(p.position().get(0)));
        });
        assertThat(checkpoints).containsExactly("1", "2", "3");
        assertThat(saves).as("one save past the three pages").containsExactly(3);
        assertThat(List.of(first.written(), second.written(), third.written())).allMatch(f -> f.isDone()
                && !f.isCompletedExceptionally());
    }

    @Test
    void after_a_failed_page_no_checkpoint_moves_and_every_later_page_ends() {
        PagesInFlight inFlight = new PagesInFlight();
        Page first = page(1);
        Page second = page(2);
        Page third = page(3);
        inFlight.handOver(first);
        inFlight.handOver(second);
        inFlight.handOver(third);
        List<String> checkpoints = new ArrayList<>();

        inFlight.written(second, pages -> pages.forEach(p -> checkpoints.add(p.position().get(0))));
        inFlight.failed(first, new IllegalStateException("target down"));
        assertThat(second.written()).isCompletedExceptionally();
        assertThat(third.written()).as("still being written").isNotDone();
        inFlight.written(third, pages -> pages.forEach(p -> checkpoints.add(p.position().get(0))));

        assertThat(third.written()).isCompletedExceptionally();
        assertThat(checkpoints).isEmpty();
    }

    @Test
    void a_checkpoint_that_cannot_be_saved_leaves_the_pages_for_the_writer_to_try_again() {
        PagesInFlight inFlight = new PagesInFlight();
        Page first = page(1);
        inFlight.handOver(first);
        List<String> checkpoints = new ArrayList<>();

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> inFlight.written(first, pages -> {
            throw new IllegalStateException("target down");
        })).hasMessage("target down");
        assertThat(first.written()).isNotDone();

        inFlight.written(first, pages -> pages.forEach(p -> checkpoints.add(p.position().get(0))));
        assertThat(checkpoints).containsExactly("1");
        assertThat(first.written()).isCompleted();
    }

    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void a_page_written_while_another_writer_saves_is_saved_by_that_writer_without_waiting() throws Exception {
        PagesInFlight inFlight = new PagesInFlight();
        List<Page> handed = handOver(inFlight, 2);
        Page first = handed.get(0);
        Page second = handed.get(1);
        CountDownLatch saving = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> checkpoints = Collections.synchronizedList(new ArrayList<>());
        Thread writer = savingUntil(inFlight, first, checkpoints, saving, release);
        saving.await();

        inFlight.written(second, pages -> checkpoints.add("saved by the second writer"));
        assertThat(second.written()).as("returned while the first writer still saves").isNotDone();
        release.countDown();
        writer.join();

        assertThat(checkpoints).as("the first writer saved both, one after the other").containsExactly("1", "2");
        assertThat(second.written()).isCompleted();
    }

    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void a_failure_while_another_writer_saves_ends_every_written_page() throws Exception {
        PagesInFlight inFlight = new PagesInFlight();
        List<Page> handed = handOver(inFlight, 3);
        Page first = handed.get(0);
        Page second = handed.get(1);
        Page third = handed.get(2);
        CountDownLatch saving = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> checkpoints = Collections.synchronizedList(new ArrayList<>());
        Thread writer = savingUntil(inFlight, first, checkpoints, saving, release);
        saving.await();
        inFlight.failed(second, new IllegalStateException("target down"));
        inFlight.written(third, pages -> pages.forEach(p -> checkpoints.add(p.position().get(0))));
        release.countDown();
        writer.join();

        assertThat(checkpoints).containsExactly("1");
        assertThat(first.written()).isCompleted();
        assertThat(second.written()).isCompletedExceptionally();
        assertThat(third.written()).isCompletedExceptionally();
    }

    /** A writer thread that starts saving {@code page}'s checkpoint and holds the save until {@code release} opens. */
    private static Thread savingUntil(PagesInFlight inFlight, Page page, List<String> checkpoints,
                                      CountDownLatch saving,
                                      CountDownLatch release) {
        Thread writer = new Thread(() -> inFlight.written(page, pages -> {
            pages.forEach(p -> checkpoints.add(p.position().get(0)));
            saving.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        writer.start();
        return writer;
    }

    /** Pages 1 to {@code count}, handed over in order. */
    private static List<Page> handOver(PagesInFlight inFlight, int count) {
        List<Page> pages = new ArrayList<>();
        for (int n = 1; n <= count; n++) {
            pages.add(page(n));
            inFlight.handOver(pages.get(n - 1));
        }
        return pages;
    }
}
