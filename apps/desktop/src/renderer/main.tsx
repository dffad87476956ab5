import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { z } from 'zod';
import { App } from './app/App';
import { createServices } from './app/bootstrap';
import { localeStore } from './i18n/i18n';
import { applyTheme, themeStore } from './ui/theme';
import './styles.css';

// The CSP forbids eval; tell zod up front instead of letting it probe with `new Function`.
z.config({ jitless: true });
document.documentElement.lang = localeStore.getState().locale;
applyTheme(themeStore.getState().theme);
const root = document.getElementById('root');
if (!root) throw new Error('#root missing from index.html');
createRoot(root).render(
  <StrictMode>
    <App services={createServices(window)} />
  </StrictMode>,
);
