import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { z } from 'zod';
import { PortalApp } from './features/portal/PortalApp';
import { localeStore } from './i18n/i18n';
import { applyTheme, themeStore } from './ui/theme';
import './styles.css';
import './features/portal/portal.css';
import './features/kb/kb.css';

// The customer portal's entry (decision 52): the console's stack, none of its store or socket.
z.config({ jitless: true });
document.documentElement.lang = localeStore.getState().locale;
localeStore.subscribe((s) => (document.documentElement.lang = s.locale));
applyTheme(themeStore.getState().theme);
const root = document.getElementById('root');
if (!root) throw new Error('#root missing from portal.html');
createRoot(root).render(
  <StrictMode>
    <PortalApp />
  </StrictMode>,
);
