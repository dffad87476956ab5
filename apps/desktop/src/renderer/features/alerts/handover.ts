import { z } from 'zod';

/** The parts of a stored handover report the console shows (the server's report is loose). */
export const handoverReportSchema = z.looseObject({
  id: z.string(),
  shiftName: z.string().default(''),
  generatedAt: z.string().optional(),
  openTickets: z
    .looseObject({
      total: z.number().default(0),
      tickets: z
        .array(
          z.looseObject({
            id: z.string().optional(),
            number: z.string(),
            priority: z.string().optional(),
            title: z.string().optional(),
          }),
        )
        .default([]),
    })
    .default({ total: 0, tickets: [] }),
  openAlerts: z.looseObject({ total: z.number().default(0) }).default({ total: 0 }),
  breaches: z
    .looseObject({
      total: z.number().default(0),
      list: z
        .array(
          z.looseObject({
            ticketId: z.string().nullable().optional(),
            target: z.string().optional(),
            at: z.string().optional(),
          }),
        )
        .default([]),
    })
    .default({ total: 0, list: [] }),
});
export type HandoverReport = z.infer<typeof handoverReportSchema>;

const listSchema = z.object({ handovers: z.array(z.unknown()) });

/** Reads one stored handover report by id from `GET /api/roster/handovers` (null if absent). */
export async function fetchHandover(
  token: string,
  handoverId: string,
  fetchImpl: typeof fetch = fetch,
): Promise<HandoverReport | null> {
  const response = await fetchImpl('/api/roster/handovers?limit=20', {
    headers: { authorization: `Bearer ${token}` },
  });
  if (!response.ok) return null;
  const body = listSchema.safeParse(await response.json());
  if (!body.success) return null;
  for (const item of body.data.handovers) {
    const report = handoverReportSchema.safeParse(item);
    if (report.success && report.data.id === handoverId) return report.data;
  }
  return null;
}
