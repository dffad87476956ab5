/** What other features may use of the tickets feature (its module, tickets.module.ts, is composed by server.ts). */
export { createResumeHandler } from './tickets.socket';
export { appendAndApply, runTicketCommand } from './tickets.commands';
export { createTicketBatch, type TicketBatch } from './batch';
export { findTicketByNumber, lockTicket, nextCounter, readTicket } from './tickets.repo';
export { actorFromUser } from './actor';
export { ticketColumns } from './tickets.repo';
