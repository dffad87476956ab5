/** What other features may use of the auth feature (its module, auth.module.ts, is composed by server.ts). */
export { ensureAdmin, authenticateToken, type Authenticated } from './auth.service';
export { toPublicUser } from './auth.repo';
export {
  deleteKnownDevices,
  disableUserKeepingAnAdmin,
  findUserById,
  findUserByUsername,
  existingGroupIds,
  listLiveSessions,
  listUsers,
  revokeSessionOf,
  setUserDisabled,
  updateUserKeepingAnAdmin,
} from './auth.repo';
export type { UserRecord } from './auth.repo';
export { createUser, logout, openSession, resetPassword, revokeUser } from './auth.service';
export { dummyHashPromise, hashPassword, verifyPassword } from './passwords';
export { rateLimited, USER_BACKOFF } from './auth.service';
export { clearLoginAttempts, reserveLoginAttempt } from './auth.repo';
