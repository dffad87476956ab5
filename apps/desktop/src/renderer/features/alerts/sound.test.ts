import { afterEach, describe, expect, it, vi } from 'vitest';

/** A WebAudio context the browser holds suspended until a gesture (autoplay policy). */
class SuspendedContext extends EventTarget {
  /** Whether the page has had a user gesture (the browser then lets audio start). */
  static gesture = false;
  state: 'suspended' | 'running' = 'suspended';
  currentTime = 0;
  resume = vi.fn(() => {
    if (SuspendedContext.gesture) {
      this.state = 'running';
      this.dispatchEvent(new Event('statechange'));
    }
    return Promise.resolve();
  });
  createOscillator = () => ({
    connect: () => ({ connect: () => undefined }),
    start: vi.fn(),
    stop: vi.fn(),
    frequency: {},
    type: '',
  });
  createGain = () => ({
    gain: { setValueAtTime: vi.fn(), exponentialRampToValueAtTime: vi.fn() },
    connect: (x: unknown) => x,
  });
  destination = {};
}

describe('alert sound', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.resetModules();
  });

  it('reports a beep blocked after a reload until a gesture unlocks it', async () => {
    SuspendedContext.gesture = false;
    vi.stubGlobal('AudioContext', SuspendedContext);
    const sound = await import('./sound');
    const changed = vi.fn();
    sound.subscribeSound(changed);
    sound.playAlertBeep();
    // The browser refused to start audio without a gesture: still suspended here.
    expect(sound.readSoundState()).toBe('blocked');
    SuspendedContext.gesture = true;
    sound.unlockSound();
    await Promise.resolve();
    expect(sound.readSoundState()).toBe('on');
    expect(changed).toHaveBeenCalled();
  });

  it('says blocked before any audio when the page has had no user gesture', async () => {
    SuspendedContext.gesture = false;
    vi.stubGlobal('AudioContext', SuspendedContext);
    vi.stubGlobal('navigator', { userActivation: { hasBeenActive: false } });
    const sound = await import('./sound');
    expect(sound.readSoundState()).toBe('blocked');
    const target = new EventTarget() as unknown as Document;
    sound.unlockSoundOnFirstGesture(target);
    SuspendedContext.gesture = true;
    target.dispatchEvent(new Event('pointerdown'));
    await Promise.resolve();
    expect(sound.readSoundState()).toBe('on');
  });
});
