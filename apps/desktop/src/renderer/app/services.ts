import { createContext, useContext } from 'react';
import type { Host } from '../host/host';
import type { RealtimeBridge } from '../realtime/socketBridge';
import type { AppStore } from '../store/appStore';
import type { Api } from './api';

/** Everything outside React the views talk to; tests pass fakes. */
export interface AppServices {
  store: AppStore;
  bridge: RealtimeBridge;
  host: Host;
  api: Api;
}

export const ServicesContext = createContext<AppServices | null>(null);

export function useServices(): AppServices {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('useServices outside <App>');
  return services;
}
