/**
 * The Windows AppUserModelID: toasts are attributed to (and only shown for) the app whose
 * shortcut carries this ID. electron-builder's NSIS installer stamps the Start-menu shortcut
 * with the `appId` of electron-builder.yml, so the two must be the same string.
 */
export const APP_USER_MODEL_ID = 'com.dutydesk.console';

export function applyAppUserModelId(
  app: { setAppUserModelId(id: string): void },
  platform: NodeJS.Platform,
): boolean {
  if (platform !== 'win32') return false;
  app.setAppUserModelId(APP_USER_MODEL_ID);
  return true;
}
