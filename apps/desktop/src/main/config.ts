/** Where the console lives when `DUTYDESK_URL` is not set: the local server. */
export const DEFAULT_SERVER_URL = 'http://127.0.0.1:3000';

/**
 * The server origin the shell loads and trusts. Only http(s) origins are
 * accepted; anything else falls back to the default rather than loading
 * something unexpected.
 */
export function resolveServerOrigin(env: Record<string, string | undefined>): string {
  const raw = env['DUTYDESK_URL']?.trim();
  if (!raw) return DEFAULT_SERVER_URL;
  try {
    const url = new URL(raw);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return DEFAULT_SERVER_URL;
    return url.origin;
  } catch {
    return DEFAULT_SERVER_URL;
  }
}

/** Whether the command line asks for the kiosk wallboard instead of the console. */
export function wantsWallboard(argv: readonly string[]): boolean {
  return argv.includes('--wallboard');
}
