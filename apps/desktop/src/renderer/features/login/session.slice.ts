import { z } from 'zod';
import type { StateCreator } from 'zustand';
import type { AppState } from '../../store/appStore';

/** The signed-in user as the console needs it (a tolerant subset of the server's user). */
export const sessionUserSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  roles: z.array(z.string()),
  groupIds: z.array(z.string()).default([]),
  locale: z.string().optional(),
});
export type SessionUser = z.infer<typeof sessionUserSchema>;

export const sessionSchema = z.object({ token: z.string().min(1), user: sessionUserSchema });
export type Session = z.infer<typeof sessionSchema>;

export interface SessionSlice {
  session: Session | null;
  signIn(session: Session): void;
  /** Forgets the session and every server fact that came with it. */
  signOut(): void;
}

export const createSessionSlice =
  (initial: Session | null): StateCreator<AppState, [], [], SessionSlice> =>
  (set) => ({
    session: initial,
    signIn: (session) => set({ session }),
    signOut: () =>
      set({
        session: null,
        tickets: {},
        lastSeq: 0,
        alerts: {},
        presence: {},
        users: {},
        knownNames: {},
      }),
  });
