/**
 * Survey tokens (decision 53): 32 random bytes in base64url, made when a survey mail is sent.
 * Only their SHA-256 is stored (the invitation's id), so the database never holds a usable
 * link; the link carries the token in its fragment (`/survey#<token>`), which no browser sends
 * to a server, proxy or log, and the page posts it with the answer.
 */
import { createHash, randomBytes } from 'node:crypto';

/** A new token and the id it is stored under. */
export function makeSurveyToken(): { token: string; id: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, id: surveyTokenId(token) };
}

/** The stored id of a token: its SHA-256 in hex. */
export function surveyTokenId(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
