import { pino, type Logger } from 'pino';
import { summarizeError } from './db/errors';

export type { Logger };

/**
 * Structured JSON logs on stdout; `silent` in tests. Errors (the `err` key) are logged through
 * `summarizeError`: type, message, stack frames, SQLSTATE and a statement's first words, never
 * a statement's parameters, a row or a request body (a failing command once wrote its whole
 * ticket to the log twice).
 * @param destination where to write (tests capture it); stdout by default
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'dutydesk' },
    redact: ['req.headers.authorization', 'password', 'token'],
    serializers: { err: (err: unknown) => summarizeError(err) },
  };
  return destination ? pino(options, destination) : pino(options);
}
