package io.partynet.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.partynet.LeaveReason;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

class ControlPlaneListenersTest {
  private final ControlPlaneListeners listeners = new ControlPlaneListeners();

  /** An executor that queues tasks until the test runs them, as a worker thread would later. */
  private static final class Queue implements Executor {
    final List<Runnable> tasks = new ArrayList<>();

    @Override
    public void execute(Runnable task) {
      tasks.add(task);
    }

    void runAll() {
      tasks.forEach(Runnable::run);
      tasks.clear();
    }
  }

  private static ControlPlaneListener recorder(List<String> sink, String name) {
    return new ControlPlaneListener() {
      @Override
      public void onPeerLeft(String partyId, String peerId, LeaveReason reason) {
        sink.add(name + " left " + peerId + " " + reason);
      }
    };
  }

  @Test
  void eachEventGoesToEachListenersOwnExecutorInOrder() {
    List<String> heard = new ArrayList<>();
    Queue first = new Queue();
    Queue second = new Queue();
    listeners.add(recorder(heard, "a"), first);
    listeners.add(recorder(heard, "b"), second);
    listeners.emit(l -> l.onPeerLeft("p", "bob", LeaveReason.LEFT));
    listeners.emit(l -> l.onPeerLeft("p", "carol", LeaveReason.KICKED));
    assertEquals(List.of(), heard, "nothing runs on the caller's thread");
    second.runAll();
    first.runAll();
    assertEquals(List.of("b left bob left", "b left carol kicked", "a left bob left", "a left carol kicked"), heard);
  }

  @Test
  void aLateListenerHearsTheCurrentStateFirstAndOnlyItself() {
    List<String> heard = new ArrayList<>();
    Queue early = new Queue();
    Queue late = new Queue();
    listeners.add(recorder(heard, "early"), early);
    listeners.add(recorder(heard, "late"), late, l -> l.onPeerLeft("p", "state", LeaveReason.LEFT));
    listeners.emit(l -> l.onPeerLeft("p", "bob", LeaveReason.LEFT));
    early.runAll();
    late.runAll();
    assertEquals(List.of("early left bob left", "late left state left", "late left bob left"), heard);
  }

  @Test
  void aThrowingListenerOrARefusingExecutorAffectsOnlyItself() {
    List<String> heard = new ArrayList<>();
    listeners.add(new ControlPlaneListener() {
      @Override
      public void onPeerLeft(String partyId, String peerId, LeaveReason reason) {
        throw new IllegalStateException("a buggy listener");
      }
    }, Runnable::run);
    listeners.add(recorder(heard, "closed"), task -> {
      throw new RejectedExecutionException("shut down");
    });
    listeners.add(recorder(heard, "ok"), Runnable::run);
    listeners.emit(l -> l.onPeerLeft("p", "bob", LeaveReason.STALE));
    assertEquals(List.of("ok left bob stale"), heard);
  }

  @Test
  void aRemovedListenerHearsNothingMore() {
    List<String> heard = new ArrayList<>();
    ControlPlaneListener listener = recorder(heard, "a");
    listeners.add(listener, Runnable::run);
    listeners.emit(l -> l.onPeerLeft("p", "bob", LeaveReason.LEFT));
    listeners.remove(listener);
    listeners.emit(l -> l.onPeerLeft("p", "carol", LeaveReason.LEFT));
    assertEquals(List.of("a left bob left"), heard);
  }
}
