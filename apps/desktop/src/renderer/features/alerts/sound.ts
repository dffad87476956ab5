/**
 * A short two-tone beep made with WebAudio, so no sound file ships. Silent
 * where audio is unavailable or not yet allowed (before any user gesture).
 */
let context: AudioContext | null = null;

export function playAlertBeep(): void {
  try {
    const AudioApi = globalThis.AudioContext;
    if (!AudioApi) return;
    context ??= new AudioApi();
    const ctx = context;
    if (ctx.state === 'suspended') void ctx.resume().catch(() => undefined);
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
