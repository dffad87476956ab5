/**
 * The command bus: every feature's commands, one way in (socket and REST). Features register
 * a `CommandSpec` from their module; callers execute through `ctx.commands`.
 */
import type { Actor, CommandAck } from '@dutydesk/shared';
import type { AppContext } from '../context';

export {
  commandIdTaken,
  createCommandBus,
  RateLimiter,
  type CommandBus,
  type CommandResult,
  type CommandSpec,
} from './bus';
export { findCommandResult, saveCommandResult } from './results.repo';

/** Executes one command through the server's bus (`ctx.commands.execute`). */
export function executeCommand(ctx: AppContext, actor: Actor, input: unknown): Promise<CommandAck> {
  return ctx.commands.execute(actor, input);
}
