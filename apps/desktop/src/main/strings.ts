/**
 * The few words the shell itself shows — tray, menus, the update notification — in the
 * languages the console has (en, zh-CN). The renderer words its own notifications; it tells
 * the shell its language over IPC (`desktop:set-locale`), and before it does the shell follows
 * the system's preferred languages the same way the renderer's first guess does.
 */
export const ShellLocale = { en: 'en', zhCN: 'zh-CN' } as const;
export type ShellLocale = (typeof ShellLocale)[keyof typeof ShellLocale];

export const SHELL_LOCALES: readonly ShellLocale[] = [ShellLocale.en, ShellLocale.zhCN];

export interface ShellStrings {
  /** Tray tooltip and first menu line for a number of open alerts. */
  alertCount(count: number): string;
  openApp: string;
  quit: string;
  // Application menu (macOS) and the context menu.
  editMenu: string;
  viewMenu: string;
  windowMenu: string;
  undo: string;
  redo: string;
  cut: string;
  copy: string;
  paste: string;
  selectAll: string;
  // Update notification.
  updateReadyTitle: string;
  updateReadyBody(version: string): string;
}

const en: ShellStrings = {
  alertCount: (count) =>
    count === 0
      ? 'Dutydesk — no open alerts'
      : count === 1
        ? 'Dutydesk — 1 open alert'
        : `Dutydesk — ${count} open alerts`,
  openApp: 'Open Dutydesk',
  quit: 'Quit',
  editMenu: 'Edit',
  viewMenu: 'View',
  windowMenu: 'Window',
  undo: 'Undo',
  redo: 'Redo',
  cut: 'Cut',
  copy: 'Copy',
  paste: 'Paste',
  selectAll: 'Select All',
  updateReadyTitle: 'Dutydesk update ready',
  updateReadyBody: (version) => `Version ${version} will be installed when Dutydesk restarts.`,
};

const zhCN: ShellStrings = {
  alertCount: (count) =>
    count === 0 ? 'Dutydesk — 无未处理告警' : `Dutydesk — ${count} 条未处理告警`,
  openApp: '打开 Dutydesk',
  quit: '退出',
  editMenu: '编辑',
  viewMenu: '视图',
  windowMenu: '窗口',
  undo: '撤销',
  redo: '重做',
  cut: '剪切',
  copy: '复制',
  paste: '粘贴',
  selectAll: '全选',
  updateReadyTitle: 'Dutydesk 更新已就绪',
  updateReadyBody: (version) => `版本 ${version} 将在 Dutydesk 重新启动时安装。`,
};

export const shellCatalogues: Record<ShellLocale, ShellStrings> = {
  [ShellLocale.en]: en,
  [ShellLocale.zhCN]: zhCN,
};

/** The first of the preferred languages the shell has: any `zh…` is zh-CN; else English. */
export function pickShellLocale(languages: readonly string[]): ShellLocale {
  for (const language of languages) {
    const lower = language.toLowerCase();
    if (lower.startsWith('zh')) return ShellLocale.zhCN;
    if (lower.startsWith('en')) return ShellLocale.en;
  }
  return ShellLocale.en;
}

/** The shell's current language, and who wants to hear when it changes. */
export interface ShellLanguage {
  readonly locale: ShellLocale;
  readonly strings: ShellStrings;
  set(locale: ShellLocale): void;
  onChange(listener: (strings: ShellStrings, locale: ShellLocale) => void): void;
}

export function createShellLanguage(initial: ShellLocale): ShellLanguage {
  let locale = initial;
  const listeners: Array<(strings: ShellStrings, locale: ShellLocale) => void> = [];
  return {
    get locale() {
      return locale;
    },
    get strings() {
      return shellCatalogues[locale];
    },
    set(next) {
      if (next === locale) return;
      locale = next;
      for (const listener of listeners) listener(shellCatalogues[locale], locale);
    },
    onChange(listener) {
      listeners.push(listener);
    },
  };
}
