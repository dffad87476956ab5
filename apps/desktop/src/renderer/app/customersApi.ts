import { z } from 'zod';
import {
  contactMatchSchema,
  organisationOverviewSchema,
  organisationSchema,
} from '../realtime/contract';
import type { ContactMatch, Organisation, OrganisationOverview } from '../realtime/contract';

/** A REST answer that may be refused: the value, or the server's code, message and field paths. */
export type RestResult<T> =
  | { ok: true; value: T }
  | { ok: false; code: string; message: string; fields: Array<{ path: string; message: string }> };

const refusalSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});

const contactsBodySchema = z.object({ contacts: z.array(contactMatchSchema) });
const organisationsBodySchema = z.object({ organisations: z.array(organisationSchema) });

/** The fields of a new contact the create dialog sends. */
export interface NewContact {
  name: string;
  phone?: string;
  email?: string;
  organisationId?: string | null;
}

/** The customer records' REST calls (decision 31): lookups, the organisation page, a new contact. */
export interface CustomerApi {
  /** `GET /api/contacts?q=`: callers by phone or name, with their organisation; [] on failure. */
  lookupContacts(token: string, q: string, signal?: AbortSignal): Promise<ContactMatch[]>;
  /** `GET /api/contacts/:id`; null when unknown or unreadable. */
  getContact(token: string, id: string): Promise<ContactMatch | null>;
  /** `GET /api/organisations?status=active`: for the new contact's organisation; [] on failure. */
  listOrganisations(token: string): Promise<Organisation[]>;
  /** `GET /api/organisations/:id/overview`; null when there is no such organisation. */
  getOrganisationOverview(token: string, id: string): Promise<OrganisationOverview | null>;
  /** `POST /api/contacts` (the `contact.create` command). */
  createContact(token: string, body: NewContact): Promise<RestResult<ContactMatch>>;
}

export function createCustomerApi(fetchImpl: typeof fetch, baseUrl: string): CustomerApi {
  const get = (token: string, path: string, signal?: AbortSignal): Promise<Response> =>
    fetchImpl(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` }, signal });
  return {
    async lookupContacts(token, q, signal) {
      const query = new URLSearchParams({ q, limit: '8' });
      const response = await get(token, `/api/contacts?${query.toString()}`, signal);
      if (!response.ok) return [];
      const parsed = contactsBodySchema.safeParse(await response.json());
      return parsed.success ? parsed.data.contacts : [];
    },
    async getContact(token, id) {
      try {
        const response = await get(token, `/api/contacts/${encodeURIComponent(id)}`);
        if (!response.ok) return null;
        const parsed = contactMatchSchema.safeParse(await response.json());
        return parsed.success ? parsed.data : null;
      } catch {
        return null;
      }
    },
    async listOrganisations(token) {
      try {
        const response = await get(token, '/api/organisations?status=active&limit=200');
        if (!response.ok) return [];
        const parsed = organisationsBodySchema.safeParse(await response.json());
        return parsed.success ? parsed.data.organisations : [];
      } catch {
        return [];
      }
    },
    async getOrganisationOverview(token, id) {
      const response = await get(token, `/api/organisations/${encodeURIComponent(id)}/overview`);
      if (response.status === 404) return null;
      if (!response.ok)
        throw new Error(`GET /api/organisations/${id}/overview: ${response.status}`);
      return organisationOverviewSchema.parse(await response.json());
    },
    async createContact(token, body) {
      try {
        const response = await fetchImpl(`${baseUrl}/api/contacts`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        const json: unknown = await response.json().catch(() => null);
        if (response.ok) {
          const parsed = contactMatchSchema.safeParse(json);
          if (parsed.success) return { ok: true, value: parsed.data };
        }
        const refusal = refusalSchema.safeParse(json);
        return refusal.success
          ? { ok: false, ...refusal.data.error, fields: refusal.data.error.fields ?? [] }
          : { ok: false, code: 'unexpected', message: `HTTP ${response.status}`, fields: [] };
      } catch {
        return {
          ok: false,
          code: 'unavailable',
          message: 'The server cannot be reached',
          fields: [],
        };
      }
    },
  };
}
