/**
 * Mail bench: one Dutydesk node (PGlite, in this process) sending through its outbox to a local
 * SMTP sink on loopback. Baseline in the same run: the same number of mails sent straight with
 * nodemailer to the same sink, one after the other. Then `--mails` mails enqueued with
 * `enqueueMail` at once and the time until the sink has every one (the sender's loop: claims of
 * 10 under a lease, one SMTP connection per mail, each attempt saved). Prints mails/s of both
 * and their ratio, enqueue time, repeats (a Message-ID twice) and the load average, which on
 * the shared test machine is rarely low: read the figures with it.
 *
 * Run: npx tsx bench/mail.ts --mails 300
 */
import { loadavg } from 'node:os';
import { enqueueMail } from '../apps/server/src/features/mail';
import { SmtpSink, sendDirect } from '../apps/server/src/testing/smtpSink';
import { startInProcessServer } from './inProcess';
import { flags, fmt, onCleanup, runBench } from './lib';

const opts = flags({ mails: 300 });
const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');

runBench(async () => {
  const sink = await SmtpSink.start();
  onCleanup(() => sink.close());
  process.stdout.write(`load average (1/5/15 min) at start: ${load()}\n`);

  const t0 = performance.now();
  const direct = await sendDirect(sink.url, opts.mails, 'direct@example.com');
  const directMs = performance.now() - t0;
  process.stdout.write(
    `baseline: ${opts.mails} mails straight through nodemailer in ${fmt(directMs)} ms = ${(
      (opts.mails * 1000) /
      directMs
    ).toFixed(
      1,
    )} mails/s (one send p50 ${fmt([...direct].sort((a, b) => a - b)[Math.floor(direct.length / 2)] ?? NaN)} ms); load ${load()}\n`,
  );

  const { server } = await startInProcessServer('dutydesk-bench-mail-', {
    DUTYDESK_SMTP_URL: sink.url,
  });
  const e0 = performance.now();
  for (let i = 0; i < opts.mails; i += 1)
    await enqueueMail(server.ctx, {
      dedupeKey: `bench:${i}`,
      to: `outbox${i}@example.com`,
      template: 'staff.alert',
      locale: 'en',
      params: { userName: `Bench ${i}`, message: `bench mail ${i}`, severity: 'info' },
    });
  const enqueueMs = performance.now() - e0;
  const outbox = (m: { rcptTo: string[] }) => m.rcptTo.some((r) => r.startsWith('outbox'));
  for (let i = 0; i < opts.mails; i += 1)
    await sink.waitFor((m) => m.rcptTo.includes(`outbox${i}@example.com`), {
      timeoutMs: 600_000,
    });
  const outboxMs = performance.now() - e0;
  const sent = sink.filter(outbox);
  const ids = new Set(sent.map((m) => m.messageId));
  process.stdout.write(
    `outbox: ${opts.mails} mails enqueued in ${fmt(enqueueMs)} ms (${fmt(enqueueMs / opts.mails)} ms each), all at the sink after ${fmt(outboxMs)} ms = ${(
      (opts.mails * 1000) /
      outboxMs
    ).toFixed(
      1,
    )} mails/s; received ${sent.length}, repeats ${sent.length - ids.size}; load ${load()}\n`,
  );
  process.stdout.write(`ratio outbox / direct time: ${(outboxMs / directMs).toFixed(2)}\n`);
}, 900_000);
