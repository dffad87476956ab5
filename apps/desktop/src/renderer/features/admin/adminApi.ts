import { createContext, useContext } from 'react';
import { z } from 'zod';

/** A field the server refused: its zod path (`policies.0.thresholds.1.percent`) and why. */
export interface FieldProblem {
  path: string;
  message: string;
}

/** The answer of an admin REST call: the body, or the server's refusal as a value. */
export type AdminOutcome<T> =
  | { ok: true; status: number; body: T }
  | { ok: false; status: number; code: string; message: string; fields: FieldProblem[] };

const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});

/** The admin screens' REST client: same origin, bearer token, errors as values (never throws). */
export interface AdminApi {
  request<T>(
    token: string,
    method: string,
    path: string,
    body?: unknown,
    contentType?: string,
  ): Promise<AdminOutcome<T>>;
}

export function createAdminApi(
  fetchImpl: typeof fetch = (...args) => fetch(...args),
  baseUrl = '',
): AdminApi {
  return {
    async request<T>(
      token: string,
      method: string,
      path: string,
      body?: unknown,
      contentType = 'application/json',
    ): Promise<AdminOutcome<T>> {
      let response: Response;
      try {
        const headers: Record<string, string> = { authorization: `Bearer ${token}` };
        let payload: string | undefined;
        if (body !== undefined) {
          headers['content-type'] = contentType;
          payload = typeof body === 'string' ? body : JSON.stringify(body);
        }
        response = await fetchImpl(`${baseUrl}/api${path}`, { method, headers, body: payload });
      } catch {
        return { ok: false, status: 0, code: 'unavailable', message: '', fields: [] };
      }
      const json: unknown = await response.json().catch(() => null);
      if (response.ok) return { ok: true, status: response.status, body: json as T };
      const parsed = errorBodySchema.safeParse(json);
      return parsed.success
        ? {
            ok: false,
            status: response.status,
            code: parsed.data.error.code,
            message: parsed.data.error.message,
            fields: parsed.data.error.fields ?? [],
          }
        : { ok: false, status: response.status, code: 'unexpected', message: '', fields: [] };
    },
  };
}

export const AdminApiContext = createContext<AdminApi | null>(null);
let fallback: AdminApi | null = null;

/** The admin client of the screen (tests provide one through {@link AdminApiContext}). */
export function useAdminApi(): AdminApi {
  const provided = useContext(AdminApiContext);
  if (provided) return provided;
  fallback ??= createAdminApi();
  return fallback;
}

/** The refused fields whose path is `path` or lies under it (`roles` takes `roles.0`). */
export function fieldsAt(fields: readonly FieldProblem[], path: string): FieldProblem[] {
  return fields.filter((f) => f.path === path || f.path.startsWith(`${path}.`));
}
