import { act, cleanup, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
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

  it('ticks down once a second from the deadline', () => {
    renderWith(<Countdown targets={[runningTarget('response', T0 + 20 * 60_000)]} />);
    expect(screen.getByText('0:20:00')).toBeTruthy();
    act(() => vi.advanceTimersByTime(1000));
    expect(screen.getByText('0:19:59')).toBeTruthy();
    act(() => vi.advanceTimersByTime(5 * 60_000));
    expect(screen.getByText(/0:14:59/).dataset['level']).toBe('warning');
  });

  it('applies the server clock offset', () => {
    const services = fakeServices();
    services.store.getState().setConnection({ serverOffsetMs: 2 * 60_000 });
    renderWith(<Countdown targets={[runningTarget('response', T0 + 20 * 60_000)]} />, services);
    expect(screen.getByText('0:18:00')).toBeTruthy();
  });

  it('goes red and says so when overdue', () => {
    renderWith(<Countdown targets={[runningTarget('resolve', T0 + 2000)]} />);
    act(() => vi.advanceTimersByTime(5000));
    const overdue = screen.getByText(/Overdue 0:00:03/);
    expect(overdue.dataset['level']).toBe('overdue');
    expect(overdue.getAttribute('aria-label')).toMatch(/Resolution/);
  });

  it('shows a paused clock as paused, without ticking', () => {
    renderWith(<Countdown targets={[{ name: 'resolve', dueAt: null, state: 'paused' }]} />);
    const paused = screen.getByText(/Paused/);
    expect(paused.dataset['level']).toBe('paused');
    act(() => vi.advanceTimersByTime(3000));
    expect(screen.getByText(/Paused/)).toBe(paused);
  });
});
