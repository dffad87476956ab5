import { COMMON_PASSWORDS } from './commonPasswords';

const COMMON = new Set(COMMON_PASSWORDS);

/** The minimum length, kept at 8 with the checks below (decision 18). */
export const MIN_PASSWORD_LENGTH = 8;

/**
 * Why a new password is refused, or null when it is acceptable: at least 8 characters that are
 * not all white space, at least 4 different characters, not a common password (ignoring case
 * and white space at the ends) and not the username, nor the username with a few characters
 * around it. Checked when a user is created, an admin resets a password or a user changes
 * their own.
 *
 * @example checkPasswordPolicy('password', 'lina') // → 'is one of the most common passwords'
 */
export function checkPasswordPolicy(password: string, username?: string): string | null {
  if (password.trim().length === 0) return 'must not be only spaces';
  if ([...password].length < MIN_PASSWORD_LENGTH)
    return `at least ${MIN_PASSWORD_LENGTH} characters`;
  const folded = password.trim().toLowerCase();
  if (new Set(folded.replace(/\s/g, '')).size < 4) return 'needs at least 4 different characters';
  if (COMMON.has(folded) || COMMON.has(folded.replace(/\s+/g, '')))
    return 'is one of the most common passwords';
  if (username) {
    const name = username.trim().toLowerCase();
    if (name.length > 0 && (folded === name || folded.split(name).join('').length < 4))
      return 'must not be the username';
  }
  return null;
}
