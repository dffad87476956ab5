import type { SurveyInvitationView, SurveyKind } from '@dutydesk/shared';

/** Why the page cannot ask: the server's reason (`fields[0].message`) or the network. */
export type SurveyRefusal = 'unknown' | 'expired' | 'used' | 'network';

export class SurveyError extends Error {
  constructor(
    readonly reason: SurveyRefusal,
    message: string,
  ) {
    super(message);
  }
}

/** The token of a survey link: its fragment (`/survey#<token>`), never sent to a server by the browser. */
export function readSurveyToken(hash: string): string | null {
  const token = hash.replace(/^#/, '').trim();
  return /^[A-Za-z0-9_-]{20,100}$/.test(token) ? token : null;
}

async function post<T>(path: string, body: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
    });
  } catch (err) {
    throw new SurveyError('network', err instanceof Error ? err.message : String(err));
  }
  const json = (await res.json().catch(() => null)) as
    | (T & { error?: undefined })
    | { error: { message: string; fields?: Array<{ message: string }> } }
    | null;
  if (res.ok && json) return json as T;
  const error = json && 'error' in json && json.error ? json.error : null;
  const why = error?.fields?.[0]?.message;
  const reason: SurveyRefusal =
    why === 'unknown' || why === 'expired'
      ? why
      : why === 'used' || why === 'answered'
        ? 'used'
        : res.status === 401
          ? 'unknown'
          : res.status === 410
            ? 'expired'
            : 'network';
  throw new SurveyError(reason, error?.message ?? `HTTP ${res.status}`);
}

/** The public survey routes (decision 53): the token only. */
export const surveyApi = {
  open: (token: string) => post<SurveyInvitationView>('/api/surveys/open', { token }),
  answer: (token: string, score: number, comment: string) =>
    post<{ answerId: string; kind: SurveyKind; followUp: boolean }>('/api/surveys/answer', {
      token,
      score,
      ...(comment.trim() ? { comment: comment.trim() } : {}),
    }),
};
export type SurveyApi = typeof surveyApi;
