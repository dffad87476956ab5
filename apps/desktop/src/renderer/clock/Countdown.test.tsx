import { act, cleanup, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { localeStore } from '../i18n/i18n';
import { runningTarget, T0 } from '../test/fixtures';
import { fakeServices, renderWith } from '../test/render';
import { Countdown } from './Countdown';

describe('<Countdown>', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(T0);
  });
  afterEach(() => {
    cleanup();
    vi.useRealTimers();
  });

  /** The countdown around a text: its level and the words a screen reader hears. */
  const countdownOf = (el: HTMLElement): HTMLElement => {
    const root = el.closest<HTMLElement>('.countdown');
    if (!root) throw new Error('not inside a countdown');
    return root;
  };

  it('ticks down once a second from the deadline, rewriting one text node', () => {
    renderWith(<Countdown targets={[runningTarget('response', T0 + 20 * 60_000)]} />);
    const digits = screen.getByText('0:20:00');
    const node = digits.firstChild;
    act(() => {
      vi.advanceTimersByTime(1000);
    });
    expect(screen.getByText('0:19:59')).toBe(digits);
    expect(digits.firstChild).toBe(node);
    expect(countdownOf(digits).dataset['level']).toBe('ok');
    act(() => {
      vi.advanceTimersByTime(5 * 60_000);
    });
    expect(digits.textContent).toBe('0:14:59');
    const root = countdownOf(digits);
    expect(root.dataset['level']).toBe('warning');
    expect(root.title).toBe('Response (due soon)');
    expect(root.textContent).toBe('Response (due soon): Response 0:14:59');
  });

  it('sizes the digits box to its characters', () => {
    renderWith(<Countdown targets={[runningTarget('response', T0 + 26 * 3_600_000)]} />);
    const digits = screen.getByText('1d 02:00');
    expect(digits.style.width).toBe('7.3ch');
    act(() => {
      vi.advanceTimersByTime(2 * 3_600_000 + 1000);
    });
    expect(digits.textContent).toBe('23:59:59');
    expect(digits.style.width).toBe('7.3ch');
    act(() => {
      vi.advanceTimersByTime(14 * 3_600_000);
    });
    expect(digits.textContent).toBe('9:59:59');
    expect(digits.style.width).toBe('6.3ch');
  });

  it('applies the server clock offset', () => {
    const services = fakeServices();
    services.store.getState().setConnection({ serverOffsetMs: 2 * 60_000 });
    renderWith(<Countdown targets={[runningTarget('response', T0 + 20 * 60_000)]} />, services);
    expect(screen.getByText('0:18:00')).toBeTruthy();
  });

  it('goes red and says so when overdue', () => {
    renderWith(<Countdown targets={[runningTarget('resolve', T0 + 2000)]} />);
    act(() => {
      vi.advanceTimersByTime(5000);
    });
    const overdue = countdownOf(screen.getByText('0:00:03'));
    expect(overdue.dataset['level']).toBe('overdue');
    expect(overdue.textContent).toBe('Resolution: ResolutionOverdue 0:00:03');
    expect(screen.getByText('Overdue').className).toBe('countdown__word');
  });

  it('shows a paused clock as paused, without ticking', () => {
    renderWith(<Countdown targets={[{ name: 'resolve', dueAt: null, state: 'paused' }]} />);
    const paused = countdownOf(screen.getByText('Paused'));
    expect(paused.dataset['level']).toBe('paused');
    const before = paused.innerHTML;
    act(() => {
      vi.advanceTimersByTime(3000);
    });
    expect(paused.innerHTML).toBe(before);
  });

  it('names its target beside the digits in the seat language, never as a raw key', () => {
    localeStore.getState().setLocale('zh-CN');
    renderWith(<Countdown targets={[runningTarget('contact-15m', T0 + 10 * 60_000)]} />);
    const root = countdownOf(screen.getByText('0:10:00'));
    expect(root.querySelector('.countdown__target')?.textContent).toBe('首次联系（15 分钟）');
    expect(root.textContent).not.toContain('contact-15m');
    act(() => localeStore.getState().setLocale('en'));
    expect(document.querySelector('.countdown .countdown__target')?.textContent).toBe(
      'First contact (15 min)',
    );
  });

  it('says when a business-hours clock starts, outside working hours (desk time)', () => {
    localeStore.getState().setLocale('en');
    // Monday 08:00 in Shanghai: the 09:00–18:00 calendar starts at 09:00 today.
    const early = Date.parse('2026-03-02T00:00:00Z');
    vi.setSystemTime(early);
    const target = {
      ...runningTarget('response', early + 10 * 3_600_000),
      calendar: 'cn-0900-1800',
    };
    renderWith(<Countdown targets={[target]} />);
    const label = () => document.querySelector('.countdown__target')?.textContent;
    expect(label()).toBe('Response · starts 09:00');
    // In working hours the hint goes (read once a minute).
    act(() => {
      vi.advanceTimersByTime(61 * 60_000);
    });
    expect(label()).toBe('Response');
    cleanup();
    // Monday 19:00: tomorrow 09:00, with the day; in Chinese too.
    vi.setSystemTime(Date.parse('2026-03-02T11:00:00Z'));
    localeStore.getState().setLocale('zh-CN');
    const tomorrow = {
      ...runningTarget('response', Date.parse('2026-03-03T03:00:00Z')),
      calendar: 'cn-0900-1800',
    };
    renderWith(<Countdown targets={[tomorrow]} />);
    expect(label()).toBe('响应 · 03/03 09:00 开始计时');
    localeStore.getState().setLocale('en');
  });
});
