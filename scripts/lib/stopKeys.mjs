// Ctrl-C on a terminal as a key, for the long-running scripts (start, dev).
//
// Left to the terminal, Ctrl-C is a SIGINT to the whole foreground process group, and the
// `sh -c` that pnpm (and npx) run a script in dies of it once its child exits, whatever the
// child's exit code: pnpm then prints "ELIFECYCLE Command failed" and exits 130 although
// everything stopped cleanly. With stdin in raw mode the terminal sends no signal; the key
// arrives here as a byte (0x03), the script stops its children and exits 0.

/**
 * Calls `stop` on Ctrl-C or Ctrl-D typed on this terminal, and on SIGINT or SIGTERM sent to
 * this process (a supervisor, `kill`). Without a terminal on stdin only the signals count.
 * @param {() => void} stop
 */
export function onStopKeys(stop) {
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, stop);
  if (!process.stdin.isTTY) return;
  process.stdin.setRawMode(true);
  process.stdin.on('data', (keys) => {
    if (keys.includes(0x03) || keys.includes(0x04)) stop();
  });
  process.stdin.resume();
}

/** Gives the terminal its usual Ctrl-C back (a second one then interrupts as always). */
export function releaseStopKeys() {
  if (!process.stdin.isTTY) return;
  process.stdin.setRawMode(false);
  process.stdin.pause();
}
