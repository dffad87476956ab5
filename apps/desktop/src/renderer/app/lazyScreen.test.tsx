import { act, cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Component } from 'react';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { localeStore } from '../i18n/i18n';
import { lazyScreen, ScreenLoadError, ScreenSuspense } from './lazyScreen';

afterEach(() => {
  cleanup();
  act(() => localeStore.getState().setLocale('en'));
});

function Hello({ name }: { name: string }) {
  return <h2>Hello {name}</h2>;
}

/** A promise and the functions that settle it, to decide when a "chunk" arrives. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

class Outer extends Component<{ children: ReactNode }, { error: unknown }> {
  override state = { error: null as unknown };
  static getDerivedStateFromError(error: unknown) {
    return { error };
  }
  override render() {
    return this.state.error ? <p>outer caught</p> : this.props.children;
  }
}

describe('lazyScreen', () => {
  it('shows a polite, localised status while the code loads, then the screen', async () => {
    act(() => localeStore.getState().setLocale('zh-CN'));
    const chunk = deferred<typeof Hello>();
    const Screen = lazyScreen(() => chunk.promise);
    render(
      <ScreenSuspense>
        <Screen name="desk" />
      </ScreenSuspense>,
    );
    expect(screen.getByRole('status').textContent).toBe('正在加载…');
    await act(async () => chunk.resolve(Hello));
    expect(screen.getByRole('heading', { name: 'Hello desk' })).toBeTruthy();
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('preloads once, so a later render does not wait', async () => {
    const load = vi.fn(() => Promise.resolve(Hello));
    const Screen = lazyScreen(load);
    await Screen.preload();
    await Screen.preload();
    render(
      <ScreenSuspense>
        <Screen name="again" />
      </ScreenSuspense>,
    );
    expect(await screen.findByRole('heading', { name: 'Hello again' })).toBeTruthy();
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('offers to try again when the fetch fails, and fetches anew', async () => {
    const user = userEvent.setup();
    const load = vi
      .fn<() => Promise<typeof Hello>>()
      .mockRejectedValueOnce(new TypeError('Failed to fetch dynamically imported module'))
      .mockResolvedValueOnce(Hello);
    const Screen = lazyScreen(load);
    // React reports the caught error on the console; it is expected here.
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    render(
      <ScreenSuspense>
        <Screen name="back" />
      </ScreenSuspense>,
    );
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('could not be loaded');
    expect(screen.getByRole('button', { name: 'Reload the console' })).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('heading', { name: 'Hello back' })).toBeTruthy();
    expect(load).toHaveBeenCalledTimes(2);
    quiet.mockRestore();
  });

  it('leaves other errors to the boundary above', async () => {
    function Broken(): ReactNode {
      throw new Error('a bug, not a fetch');
    }
    const Screen = lazyScreen(() => Promise.resolve(Broken));
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    render(
      <Outer>
        <ScreenSuspense>
          <Screen />
        </ScreenSuspense>
      </Outer>,
    );
    expect(await screen.findByText('outer caught')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
    quiet.mockRestore();
    expect(new ScreenLoadError('x').name).toBe('ScreenLoadError');
  });
});
