// Types for the electron-builder afterSign hook (notarize.mjs), so tests can import it.
export interface NotarizeCredentials {
  kind: 'api-key' | 'apple-id' | 'keychain';
  options: Record<string, string>;
}
export function notarizeCredentials(
  env: Record<string, string | undefined>,
): NotarizeCredentials | null;
export interface AfterSignContext {
  electronPlatformName: string;
  appOutDir: string;
  packager: { appInfo: { productFilename: string } };
}
export function afterSign(
  context: AfterSignContext,
  deps?: {
    env?: Record<string, string | undefined>;
    log?: (message: string) => void;
    load?: () => Promise<{ notarize(options: Record<string, string>): Promise<void> }>;
  },
): Promise<'not-mac' | 'skipped' | 'notarized'>;
export default afterSign;
