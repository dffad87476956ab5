/**
 * A short two-tone beep made with WebAudio, so no sound file ships. Browsers keep audio
 * suspended until the user interacts with the page (autoplay policy), so after a reload the
 * beep is silent: `readSoundState` says so, and the prompt shows a hint until a click or a key
 * press unlocks it (`unlockSound`, also run on the page's first gesture).
 */
let context: AudioContext | null = null;
let unavailable = false;
const listeners = new Set<() => void>();

export const SoundState = { on: 'on', blocked: 'blocked', unavailable: 'unavailable' } as const;
export type SoundState = (typeof SoundState)[keyof typeof SoundState];

function notify(): void {
  for (const listener of listeners) listener();
}

function getContext(): AudioContext | null {
  if (context || unavailable) return context;
  try {
    const AudioApi = globalThis.AudioContext;
    if (!AudioApi) {
      unavailable = true;
      return null;
    }
    context = new AudioApi();
    context.addEventListener('statechange', notify);
  } catch {
    unavailable = true;
  }
  return context;
}

/** Whether a beep would be heard now. */
export function readSoundState(): SoundState {
  if (unavailable || typeof globalThis.AudioContext !== 'function') return SoundState.unavailable;
  if (context) return context.state === 'running' ? SoundState.on : SoundState.blocked;
  const activation = (globalThis.navigator as { userActivation?: { hasBeenActive: boolean } })
    ?.userActivation;
  return activation && !activation.hasBeenActive ? SoundState.blocked : SoundState.on;
}

/** Calls back when the sound state may have changed. */
export function subscribeSound(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Resumes audio (call from a user gesture). */
export function unlockSound(): void {
  const ctx = getContext();
  if (ctx && ctx.state === 'suspended') void ctx.resume().then(notify, notify);
  notify();
}

let gestureHooked = false;

/** Unlocks audio on the page's first click or key press (once). */
export function unlockSoundOnFirstGesture(
  target: Pick<Document, 'addEventListener' | 'removeEventListener'> = document,
): void {
  if (gestureHooked) return;
  gestureHooked = true;
  const onGesture = (): void => {
    target.removeEventListener('pointerdown', onGesture, true);
    target.removeEventListener('keydown', onGesture, true);
    unlockSound();
  };
  target.addEventListener('pointerdown', onGesture, true);
  target.addEventListener('keydown', onGesture, true);
}

export function playAlertBeep(): void {
  try {
    const ctx = getContext();
    if (!ctx) return;
    if (ctx.state === 'suspended') {
      void ctx.resume().then(notify, notify);
      notify();
    }
    const start = ctx.currentTime;
    [880, 660].forEach((frequency, i) => {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = 'sine';
      osc.frequency.value = frequency;
      const t0 = start + i * 0.22;
      gain.gain.setValueAtTime(0.0001, t0);
      gain.gain.exponentialRampToValueAtTime(0.3, t0 + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t0 + 0.2);
      osc.connect(gain).connect(ctx.destination);
      osc.start(t0);
      osc.stop(t0 + 0.21);
    });
  } catch {
    // A console without audio still shows and notifies.
  }
}
