import type { Socket as NetSocket } from 'node:net';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from '../testing/harness';
import { emitBatch } from './writes';

/** The server side TCP socket of a seat, with a count of the writes (syscalls) made on it. */
function countWrites(server: TestServer, id: string): { count: () => number } {
  const conn = server.io.of('/').sockets.get(id)?.conn as unknown as {
    transport: { name: string; socket: { _socket: NetSocket } };
  };
  expect(conn.transport.name).toBe('websocket');
  const tcp = conn.transport.socket._socket as NetSocket & {
    _write: (...args: unknown[]) => void;
    _writev: (...args: unknown[]) => void;
  };
  let n = 0;
  const write = tcp._write.bind(tcp);
  const writev = tcp._writev.bind(tcp);
  tcp._write = (...args) => {
    n += 1;
    write(...args);
  };
  tcp._writev = (...args) => {
    n += 1;
    writev(...args);
  };
  return { count: () => n };
}

function collect(socket: Socket, n: number): Promise<unknown[]> {
  const got: unknown[] = [];
  return new Promise((resolve) => {
    const on = (p: unknown): void => {
      got.push(p);
      if (got.length === n) {
        socket.off('batch-test', on);
        resolve(got);
      }
    };
    socket.on('batch-test', on);
  });
}

// Pins the engine.io internals writes.ts relies on (transport.writable, transport.send,
// Socket#flush): if an upgrade changes them, the count of writes per batch changes here.
/** A name no seat listens for: the batches reach only the test's listeners. */
const TEST_EVENT = 'batch-test' as 'head';

describe('emitBatch', () => {
  let server: TestServer;
  let a: Socket;
  let b: Socket;
  beforeAll(async () => {
    server = await startTestServer({ driver: 'pglite' });
    const token = await server.login('admin', ADMIN_PASSWORD);
    a = (await server.connect(token)).socket;
    b = (await server.connect(token)).socket;
    await new Promise((r) => setTimeout(r, 200)); // hello, snapshot and alerts written
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('sends a batch to each idle seat in order, in one write per seat', async () => {
    const ids = [a.id, b.id].map((id) => id ?? '');
    const writes = ids.map((id) => countWrites(server, id));
    const payloads = Array.from({ length: 20 }, (_, i) => ({ i, body: `payload ${i}` }));
    const got = [collect(a, payloads.length), collect(b, payloads.length)];
    emitBatch(server.io, ids, TEST_EVENT, payloads as never[]);
    expect(await Promise.all(got)).toEqual([payloads, payloads]);
    expect(writes.map((w) => w.count())).toEqual([1, 1]);
  });

  it('keeps order when a batch follows one still being written, and sends only to the given seats', async () => {
    const first = Array.from({ length: 5 }, (_, i) => ({ i }));
    const second = Array.from({ length: 5 }, (_, i) => ({ i: i + 5 }));
    const onA = collect(a, 10);
    let strayToB = 0;
    const stray = (): void => {
      strayToB += 1;
    };
    b.on('batch-test', stray);
    emitBatch(server.io, [a.id ?? ''], TEST_EVENT, first as never[]);
    emitBatch(server.io, [a.id ?? ''], TEST_EVENT, second as never[]);
    expect(await onA).toEqual([...first, ...second]);
    await new Promise((r) => setTimeout(r, 100));
    b.off('batch-test', stray);
    expect(strayToB).toBe(0);
  });
});
