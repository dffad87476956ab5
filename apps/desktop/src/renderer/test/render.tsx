import { render } from '@testing-library/react';
import type { RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import { vi } from 'vitest';
import type { Api } from '../app/api';
import { ServicesContext } from '../app/services';
import type { AppServices } from '../app/services';
import type { Host } from '../host/host';
import type { RealtimeBridge } from '../realtime/socketBridge';
import { createAppStore } from '../store/appStore';
import type { AppStore } from '../store/appStore';
import { StoreContext } from '../store/StoreContext';

export function fakeServices(overrides: Partial<AppServices> = {}): AppServices {
  const host: Host = {
    kind: 'browser',
    notify: vi.fn(),
    setBadgeCount: vi.fn(),
    flashFrame: vi.fn(),
    onOpenTicket: vi.fn(() => () => undefined),
    requestNotificationPermission: vi.fn(),
    setLocale: vi.fn(),
  };
  const bridge: RealtimeBridge = {
    start: vi.fn(),
    stop: vi.fn(),
    resync: vi.fn(),
    watchTicket: vi.fn(),
    leaveTicket: vi.fn(),
    followWallboard: vi.fn(),
    sendCommand: vi.fn(() => Promise.resolve({ ok: true as const, events: [] })),
  };
  const api: Api = {
    login: vi.fn(() => Promise.resolve({ ok: false as const, reason: 'network' as const })),
    logout: vi.fn(() => Promise.resolve()),
    listTickets: vi.fn(() => Promise.resolve([])),
    getTicket: vi.fn(() => Promise.resolve(null)),
    findTicketByNumber: vi.fn(() => Promise.resolve(null)),
    listUsers: vi.fn(() => Promise.resolve([])),
    listGroups: vi.fn(() => Promise.resolve([])),
    listOnDuty: vi.fn(() => Promise.resolve([])),
    declareMajorIncident: vi.fn(() => Promise.resolve({ ok: true as const })),
    lookupContacts: vi.fn(() => Promise.resolve([])),
    getContact: vi.fn(() => Promise.resolve(null)),
    listOrganisations: vi.fn(() => Promise.resolve([])),
    getOrganisationOverview: vi.fn(() => Promise.resolve(null)),
    createContact: vi.fn(() =>
      Promise.resolve({ ok: false as const, code: 'unavailable', message: 'offline', fields: [] }),
    ),
    uploadAttachment: vi.fn(() => ({
      done: Promise.resolve({ ok: false as const, code: 'network', message: 'offline' }),
      abort: vi.fn(),
    })),
    fetchAttachment: vi.fn(() => Promise.resolve(new Blob([]))),
  };
  return { store: createAppStore(), bridge, host, api, ...overrides };
}

/** Renders inside the store and services contexts. */
export function renderWith(
  ui: ReactElement,
  services: AppServices = fakeServices(),
): RenderResult & { services: AppServices; store: AppStore } {
  const result = render(
    <StoreContext.Provider value={services.store}>
      <ServicesContext.Provider value={services}>{ui}</ServicesContext.Provider>
    </StoreContext.Provider>,
  );
  return { ...result, services, store: services.store as AppStore };
}
