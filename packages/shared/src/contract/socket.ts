import { z } from 'zod';
import { appErrorSchema } from './errors';
import { publicUserSchema } from './auth';

/** First message on every connection: protocol version, server clock and the newest seq. */
export const helloSchema = z.object({
  protocolVersion: z.number().int(),
  serverTime: z.string(),
  seq: z.number().int().nonnegative(),
  user: publicUserSchema,
  /** Whether the events after the client's `lastSeq` follow as a replay (`false`: a snapshot follows). */
  replay: z.boolean(),
});
export type Hello = z.infer<typeof helloSchema>;

/** The handshake `auth` object a client sends. */
export const handshakeAuthSchema = z.object({
  token: z.string().min(1).max(200),
  lastSeq: z.number().int().nonnegative().optional(),
  protocolVersion: z.number().int().optional(),
});
export type HandshakeAuth = z.infer<typeof handshakeAuthSchema>;

/** Presence in one ticket: who views it, who types. Ephemeral, never stored. */
export const presenceSchema = z.object({
  ticketId: z.string(),
  viewers: z.array(z.object({ userId: z.string(), displayName: z.string(), typing: z.boolean() })),
});
export type Presence = z.infer<typeof presenceSchema>;

/** What every command answers, on the socket and over REST. */
export const commandAckSchema = z.union([
  z.object({
    ok: z.literal(true),
    ticket: z.unknown().optional(),
    events: z.array(z.unknown()),
  }),
  z.object({
    ok: z.literal(false),
    error: appErrorSchema.extend({ ticket: z.unknown().optional() }),
  }),
]);
