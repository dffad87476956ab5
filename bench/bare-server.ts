/**
 * The fan-out baseline (forked by bench/fanout.ts): a bare Socket.IO server, no auth, no
 * database, no rooms beyond the default. A `command` is broadcast to every socket as `event`
 * and acknowledged, exactly once per command. Reports its port, then answers `stats` with its
 * CPU time, RSS and the max event-loop delay since the last `stats`.
 */
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';

interface BareSocket {
  on(event: string, fn: (payload: unknown, ack?: (r: unknown) => void) => void): void;
  emit(event: string, payload: unknown): void;
}
interface BareServer {
  on(event: 'connection', fn: (socket: BareSocket) => void): void;
  emit(event: string, payload: unknown): void;
}
type ServerCtor = new (http: ReturnType<typeof createServer>, opts: object) => BareServer;

// socket.io is a dependency of the server package, resolved from there (the same version).
const require = createRequire(join(process.cwd(), 'apps/server/package.json'));
const { Server } = require('socket.io') as { Server: ServerCtor };

const http = createServer();
const io = new Server(http, { serveClient: false, pingInterval: 10_000, pingTimeout: 8_000 });
const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();

io.on('connection', (socket) => {
  socket.emit('hello', { seq: 0, replay: false });
  socket.on('command', (payload, ack) => {
    io.emit('event', payload);
    ack?.({ ok: true });
  });
});

process.on('message', (raw: unknown) => {
  if ((raw as { type?: string }).type === 'stats') {
    const m = process.memoryUsage();
    process.send?.({
      type: 'stats',
      cpuMs: (process.cpuUsage().user + process.cpuUsage().system) / 1000,
      rss: m.rss,
      loopMaxMs: loop.max / 1e6,
    });
    loop.reset();
  }
});
process.on('disconnect', () => process.exit(0));

http.listen(0, '127.0.0.1', () => {
  const addr = http.address();
  process.send?.({ type: 'ready', port: typeof addr === 'object' && addr ? addr.port : 0 });
});
