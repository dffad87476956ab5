/** Where a wallboard keeps its device token between restarts of the browser or TV. */
export const WALLBOARD_TOKEN_KEY = 'dutydesk.wallboard.token';

interface TokenEnv {
  location: Pick<Location, 'pathname' | 'search' | 'hash'>;
  history: Pick<History, 'replaceState'>;
  storage: Pick<Storage, 'getItem' | 'setItem'> | null;
}

/**
 * Takes `?token=…` from the address once: stores it, strips it from the URL (so it is not
 * left in history, screenshots or bookmarks), and returns the token to use (the stored one
 * when the address has none).
 */
export function takeDeviceToken(env: TokenEnv): string | null {
  const params = new URLSearchParams(env.location.search);
  const fromUrl = params.get('token')?.trim() ?? '';
  if (fromUrl) {
    try {
      env.storage?.setItem(WALLBOARD_TOKEN_KEY, fromUrl);
    } catch {
      // Storage full or blocked: the token still works for this page load.
    }
    params.delete('token');
    const query = params.toString();
    env.history.replaceState(
      null,
      '',
      `${env.location.pathname}${query ? `?${query}` : ''}${env.location.hash}`,
    );
    return fromUrl;
  }
  try {
    return env.storage?.getItem(WALLBOARD_TOKEN_KEY) || null;
  } catch {
    return null;
  }
}
