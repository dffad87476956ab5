import { z } from 'zod';

/** The closed set of error codes a command, a REST call or a handshake can answer with. */
export const ErrorCode = {
  invalid: 'invalid',
  unauthorized: 'unauthorized',
  forbidden: 'forbidden',
  not_found: 'not_found',
  conflict: 'conflict',
  rate_limited: 'rate_limited',
  payload_too_large: 'payload_too_large',
  unavailable: 'unavailable',
  internal: 'internal',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export const errorCodeSchema = z.enum(Object.values(ErrorCode) as [ErrorCode, ...ErrorCode[]]);

/** A field-level problem: `path` is the dotted path into the payload (`customer.email`). */
export const fieldErrorSchema = z.object({ path: z.string(), message: z.string() });
export type FieldError = z.infer<typeof fieldErrorSchema>;

/** Errors are values: `{ code, message, fields? }`, never thrown across the wire. */
export const appErrorSchema = z.object({
  code: errorCodeSchema,
  message: z.string(),
  fields: z.array(fieldErrorSchema).optional(),
});
export type AppError = z.infer<typeof appErrorSchema>;

/**
 * Turns zod issues into field errors with dotted paths.
 * @example toFieldErrors(result.error.issues) // [{ path: 'title', message: 'Required' }]
 */
export function toFieldErrors(
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>,
): FieldError[] {
  return issues.map((i) => ({
    path: i.path.map((p) => (typeof p === 'symbol' ? p.toString() : String(p))).join('.'),
    message: i.message,
  }));
}

/** Builds an error value. */
export function makeError(code: ErrorCode, message: string, fields?: FieldError[]): AppError {
  return fields && fields.length > 0 ? { code, message, fields } : { code, message };
}

/**
 * The `invalid` error of a payload that failed its schema: every field with its path, and the
 * first one in the message.
 * @example toInvalidError('sync', result.error.issues) // { code: 'invalid', message: 'invalid sync: after: …', fields }
 */
export function toInvalidError(
  subject: string,
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>,
): AppError {
  const fields = toFieldErrors(issues);
  const first = fields[0];
  const message = first
    ? `invalid ${subject}: ${first.path ? `${first.path}: ` : ''}${first.message}`
    : `invalid ${subject}`;
  return makeError('invalid', message, fields);
}
