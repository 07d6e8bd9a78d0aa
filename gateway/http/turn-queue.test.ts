import { describe, expect, it } from 'vitest';
import { createTurnQueue } from './turn-queue';

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('createTurnQueue', () => {
  it('runs every queued task in the turn, in order, when no connection was accepted', async () => {
    const queue = createTurnQueue(2);
    const ran: string[] = [];
    for (const name of ['a', 'b', 'c', 'd']) queue.run(() => ran.push(name), true);
    await nextTurn();
    expect(ran).toEqual(['a', 'b', 'c', 'd']);
  });

  it('holds repeat requests back in a turn that accepted a connection, never first requests', async () => {
    const queue = createTurnQueue(2);
    const ran: string[] = [];
    for (const name of ['r1', 'r2', 'r3', 'r4', 'r5']) queue.run(() => ran.push(name), true);
    queue.run(() => ran.push('first'), false);
    queue.noteConnection();
    await nextTurn();
    expect(ran).toEqual(['first', 'r1', 'r2']);
    queue.noteConnection();
    await nextTurn();
    expect(ran).toEqual(['first', 'r1', 'r2', 'r3', 'r4']);
    await nextTurn();
    expect(ran).toEqual(['first', 'r1', 'r2', 'r3', 'r4', 'r5']);
  });

  it('runs tasks queued after it went idle', async () => {
    const queue = createTurnQueue(1);
    const ran: number[] = [];
    queue.run(() => ran.push(1), false);
    await nextTurn();
    queue.run(() => ran.push(2), true);
    await nextTurn();
    expect(ran).toEqual([1, 2]);
  });
});
