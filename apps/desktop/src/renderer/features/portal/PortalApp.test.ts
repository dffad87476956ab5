import { describe, expect, it } from 'vitest';
import { ticketIdOfPath } from './PortalApp';

describe('ticketIdOfPath', () => {
  it('reads the ticket of the link shapes the mails carry, and nothing else', () => {
    expect(ticketIdOfPath('/portal/tickets/abc-123')).toBe('abc-123');
    expect(ticketIdOfPath('/portal/tickets/abc-123/survey')).toBe('abc-123');
    expect(ticketIdOfPath('/portal/tickets/a%20b')).toBe('a b');
    expect(ticketIdOfPath('/portal')).toBeNull();
    expect(ticketIdOfPath('/portal/tickets/')).toBeNull();
    expect(ticketIdOfPath('/tickets/abc')).toBeNull();
  });
});
