import type { StateCreator } from 'zustand';
import type { DirectoryGroup, DirectoryUser } from '../../app/api';
import type { AppState } from '../../store/appStore';

/**
 * Who works the desk: users (the full list for duty managers and admins, names only
 * for other seats) and resolver groups. Names seen in presence fill in for the rest.
 */
export interface DirectorySlice {
  users: Record<string, DirectoryUser>;
  groups: DirectoryGroup[];
  /** Display names learnt from presence, for users the directory does not list. */
  knownNames: Record<string, string>;
  setDirectory(patch: { users?: DirectoryUser[]; groups?: DirectoryGroup[] }): void;
  learnNames(names: Record<string, string>): void;
}

export const createDirectorySlice: StateCreator<AppState, [], [], DirectorySlice> = (set) => ({
  users: {},
  groups: [],
  knownNames: {},
  setDirectory: (patch) =>
    set((state) => ({
      users: patch.users ? Object.fromEntries(patch.users.map((u) => [u.id, u])) : state.users,
      groups: patch.groups ?? state.groups,
    })),
  learnNames: (names) =>
    set((state) => {
      const fresh = Object.entries(names).filter(([id, name]) => state.knownNames[id] !== name);
      if (fresh.length === 0) return {};
      return { knownNames: { ...state.knownNames, ...Object.fromEntries(fresh) } };
    }),
});

/** A person's name for display: directory, then presence, then the signed-in user, then the id. */
export function selectUserName(state: AppState, id: string | null): string | null {
  if (!id) return null;
  if (state.session?.user.id === id) return state.session.user.displayName;
  return state.users[id]?.displayName ?? state.knownNames[id] ?? id.slice(0, 8);
}

/** A group's name in the current language. */
export function formatGroupName(
  groups: readonly DirectoryGroup[],
  id: string | null,
  locale: string,
): string | null {
  if (!id) return null;
  const group = groups.find((g) => g.id === id);
  if (!group) return id;
  return locale === 'zh-CN' && group.nameZh ? group.nameZh : group.name;
}
