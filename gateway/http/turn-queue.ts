/** Request handlers queued to run after the event loop's poll phase; see createTurnQueue. */
export interface TurnQueue {
  /** Queues a task to run in this event-loop turn or a later one; `repeat` marks a connection's second or later request. */
  run(task: () => void, repeat: boolean): void;
  /** Notes that this turn accepted a connection, so that more may be waiting to be accepted. */
  noteConnection(): void;
}

/**
 * Runs queued tasks after the poll phase, first requests before repeats and each kind in arrival order: all of them
 * each event-loop turn, except that a turn which accepted a connection runs at most `repeatsPerAcceptingTurn` repeat
 * requests, leaving the rest to the next turn. libuv accepts one connection per turn
 * (https://github.com/libuv/libuv/pull/3696); when many connections arrive while established ones keep the server
 * busy, a turn that answers every established connection would make each new one wait a whole round of requests.
 * Tasks must not throw.
 */
export function createTurnQueue(repeatsPerAcceptingTurn: number): TurnQueue {
  let firsts: Array<() => void> = [];
  let repeats: Array<() => void> = [];
  let scheduled = false;
  let accepted = false;
  const runTurn = (): void => {
    const ready = firsts;
    firsts = [];
    let later = repeats;
    if (accepted && repeats.length > repeatsPerAcceptingTurn) {
      later = repeats.slice(0, repeatsPerAcceptingTurn);
      repeats = repeats.slice(repeatsPerAcceptingTurn);
    } else {
      repeats = [];
    }
    accepted = false;
    for (const task of ready) task();
    for (const task of later) task();
    if (firsts.length > 0 || repeats.length > 0) setImmediate(runTurn);
    else scheduled = false;
  };
  return {
    run(task, repeat) {
      (repeat ? repeats : firsts).push(task);
      if (!scheduled) {
        scheduled = true;
        setImmediate(runTurn);
      }
    },
    noteConnection() {
      accepted = true;
    },
  };
}
