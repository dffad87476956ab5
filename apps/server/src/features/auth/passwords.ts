import { hash, parseOptions, verify, type Algorithm, type Options } from '@node-rs/argon2';
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * argon2id with OWASP's first recommended setting (m = 19 MiB, t = 2, p = 1). Verifying takes
 * about 17 ms on the 2-core development machine (scrypt N = 2^14 took 81 ms there), so tests run
 * with the production cost.
 */
export const ARGON2_OPTIONS = {
  algorithm: 2 as Algorithm, // Argon2id (a const enum, not importable as a value)
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const satisfies Options;

/** Hashes a password with argon2id (PHC string `$argon2id$v=19$m=…,t=…,p=…$salt$hash`). */
export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

/** Checks a password against a stored argon2id hash or a legacy `scrypt$N$r$p$salt$hash`. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  if (stored.startsWith('$argon2')) {
    try {
      return await verify(stored, password);
    } catch {
      return false;
    }
  }
  return verifyScrypt(password, stored);
}

/** True when a stored hash is not argon2id with today's cost: rehash it at the next login. */
export function needsRehash(stored: string): boolean {
  if (!stored.startsWith('$argon2id$')) return true;
  try {
    const o = parseOptions(stored);
    return (
      o.memoryCost !== ARGON2_OPTIONS.memoryCost ||
      o.timeCost !== ARGON2_OPTIONS.timeCost ||
      o.parallelism !== ARGON2_OPTIONS.parallelism
    );
  } catch {
    return true;
  }
}

function scryptAsync(
  password: string,
  salt: Buffer,
  n: number,
  r: number,
  p: number,
  keylen: number,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, keylen, { N: n, r, p, maxmem: 256 * 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

/** The scrypt format written before argon2id (decision 18): verified, then rehashed on login. */
async function verifyScrypt(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, salt, digest] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(digest, 'base64url');
  const N = Number(n);
  // Only the parameters this server ever wrote; a crafted row must not make scrypt run for ever.
  if (N !== 16384 || Number(r) !== 8 || Number(p) !== 1 || expected.length !== 64) return false;
  const key = await scryptAsync(password, Buffer.from(salt, 'base64url'), N, 8, 1, 64);
  return timingSafeEqual(key, expected);
}

/** A legacy scrypt hash (tests of the rehash path only). */
export async function hashPasswordScryptForTests(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, 16384, 8, 1, 64);
  return ['scrypt', 16384, 8, 1, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** A hash of a random password: compared against when a username does not exist, so timing does not tell. */
export const dummyHashPromise: Promise<string> = hashPassword(randomBytes(16).toString('hex'));
