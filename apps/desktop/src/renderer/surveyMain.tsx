import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { z } from 'zod';
import { SurveyApp } from './features/survey/SurveyApp';
import { localeStore } from './i18n/i18n';
import { applyTheme, themeStore } from './ui/theme';
import './styles.css';
import './features/portal/portal.css';
import './features/survey/survey.css';

// The survey page's entry (decision 53): the console's stack, none of its store or socket.
z.config({ jitless: true });
document.documentElement.lang = localeStore.getState().locale;
localeStore.subscribe((s) => (document.documentElement.lang = s.locale));
applyTheme(themeStore.getState().theme);
const root = document.getElementById('root');
if (!root) throw new Error('#root missing from survey.html');
createRoot(root).render(
  <StrictMode>
    <SurveyApp />
  </StrictMode>,
);
