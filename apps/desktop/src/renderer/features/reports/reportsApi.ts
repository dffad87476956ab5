import { z } from 'zod';

export { reportTableSchema } from '../../realtime/contract';
export type { ReportTable } from '../../realtime/contract';

/** The tab of the kept monthly service reports, beside the reports themselves. */
export const SERVICE_TAB = 'service';

/** A REST answer as a value: the body or the server's refusal (never throws). */
export type ReportsOutcome<T> =
  { ok: true; body: T } | { ok: false; status: number; code: string; message: string };

const errorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

/** The reports screen's REST calls: same origin, the session's bearer token. */
export interface ReportsApi {
  getJson<T>(
    token: string,
    path: string,
    schema: z.ZodType<T>,
    signal?: AbortSignal,
  ): Promise<ReportsOutcome<T>>;
  post<T>(
    token: string,
    path: string,
    body: unknown,
    schema: z.ZodType<T>,
  ): Promise<ReportsOutcome<T>>;
  /** The bytes of a download (CSV, XLSX, PDF) and the name the server gives them. */
  download(
    token: string,
    path: string,
  ): Promise<ReportsOutcome<{ blob: Blob; filename: string | null }>>;
}

async function refusal(
  response: Response,
): Promise<{ ok: false; status: number; code: string; message: string }> {
  const parsed = errorSchema.safeParse(await response.json().catch(() => null));
  return {
    ok: false,
    status: response.status,
    code: parsed.success ? parsed.data.error.code : 'unexpected',
    message: parsed.success ? parsed.data.error.message : `HTTP ${response.status}`,
  };
}

const UNAVAILABLE = { ok: false, status: 0, code: 'unavailable', message: '' } as const;

/** `filename="…"` / `filename*=UTF-8''…` of a Content-Disposition. */
export function readFilename(header: string | null): string | null {
  if (!header) return null;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(header);
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1]);
    } catch {
      return null;
    }
  }
  return /filename="([^"]+)"/i.exec(header)?.[1] ?? null;
}

export function createReportsApi(
  fetchImpl: typeof fetch = (...a) => fetch(...a),
  baseUrl = '',
): ReportsApi {
  return {
    async getJson(token, path, schema, signal) {
      let response: Response;
      try {
        response = await fetchImpl(`${baseUrl}/api${path}`, {
          headers: { authorization: `Bearer ${token}` },
          signal,
        });
      } catch {
        return UNAVAILABLE;
      }
      if (!response.ok) return refusal(response);
      const parsed = schema.safeParse(await response.json().catch(() => null));
      return parsed.success
        ? { ok: true, body: parsed.data }
        : { ok: false, status: response.status, code: 'unexpected', message: parsed.error.message };
    },
    async post(token, path, body, schema) {
      let response: Response;
      try {
        response = await fetchImpl(`${baseUrl}/api${path}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      } catch {
        return UNAVAILABLE;
      }
      if (!response.ok) return refusal(response);
      const parsed = schema.safeParse(await response.json().catch(() => null));
      return parsed.success
        ? { ok: true, body: parsed.data }
        : { ok: false, status: response.status, code: 'unexpected', message: parsed.error.message };
    },
    async download(token, path) {
      let response: Response;
      try {
        response = await fetchImpl(`${baseUrl}/api${path}`, {
          headers: { authorization: `Bearer ${token}` },
        });
      } catch {
        return UNAVAILABLE;
      }
      if (!response.ok) return refusal(response);
      return {
        ok: true,
        body: {
          blob: await response.blob(),
          filename: readFilename(response.headers.get('content-disposition')),
        },
      };
    },
  };
}

/** Saves a blob under a name (an `<a download>` click; the URL revoked after). */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
