/**
 * Version of the socket and REST protocol. A client and a server with different
 * major versions refuse each other at handshake with an explicit reason.
 */
export const PROTOCOL_VERSION = 1;

/** Why a handshake was refused on protocol grounds. */
export const IncompatibilityReason = {
  clientTooOld: 'clientTooOld',
  serverTooOld: 'serverTooOld',
} as const;
export type IncompatibilityReason =
  (typeof IncompatibilityReason)[keyof typeof IncompatibilityReason];
