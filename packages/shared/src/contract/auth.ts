import { z } from 'zod';
import { anyText, requiredText, storableString } from './text';

/** Roles a user may hold. */
export const Role = {
  agent: 'agent',
  engineer: 'engineer',
  duty_manager: 'duty_manager',
  admin: 'admin',
  wallboard: 'wallboard',
  /**
   * A customer's contact in the portal (decision 52): never a staff account's role (the users
   * feature refuses it), only the actor the portal makes from a signed ticket link or a
   * customer account; the bus lets it send the customer's commands only.
   */
  customer: 'customer',
} as const;
export type RoleName = (typeof Role)[keyof typeof Role];
export const roleSchema = z.enum(Object.values(Role) as [RoleName, ...RoleName[]]);
/** The roles a staff account may hold (every role but `customer`). */
export const STAFF_ROLE_NAMES = Object.values(Role).filter((r) => r !== 'customer') as [
  RoleName,
  ...RoleName[],
];
/** A role a staff account may hold (user create and update bodies). */
export const staffRoleSchema = z.enum(STAFF_ROLE_NAMES);

/** The console's languages (decision 36 added Japanese and Korean). */
export const Locale = { zhCN: 'zh-CN', en: 'en', ja: 'ja', ko: 'ko' } as const;
export type LocaleName = (typeof Locale)[keyof typeof Locale];
export const localeSchema = z.enum([Locale.zhCN, Locale.en, Locale.ja, Locale.ko]);

export const loginRequestSchema = z
  .object({
    username: anyText(64).min(1),
    password: storableString().min(1).max(256),
  })
  .strict();
export type LoginRequest = z.infer<typeof loginRequestSchema>;

/** A user as every client sees it (never the password hash). */
export const publicUserSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  roles: z.array(roleSchema),
  groupIds: z.array(z.string()),
  locale: localeSchema,
  disabled: z.boolean(),
});
export type PublicUser = z.infer<typeof publicUserSchema>;

export const loginResponseSchema = z.object({
  token: z.string(),
  expiresAt: z.string(),
  user: publicUserSchema,
});
export type LoginResponse = z.infer<typeof loginResponseSchema>;

/** Usernames: lower-case letters, digits, dot, dash and underscore. */
export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9._-]{2,64}$/, '2–64 characters: letters, digits, dot, dash, underscore');

/**
 * A staff member's e-mail address: alerts addressed to them while they are off shift go there
 * (decision 38). `''` or null clears it.
 */
export const staffEmailSchema = z
  .union([z.email().max(320), z.literal('')])
  .nullable()
  .optional();

export const passwordSchema = storableString().min(8, 'at least 8 characters').max(256);

export const createUserRequestSchema = z
  .object({
    username: usernameSchema,
    password: passwordSchema,
    displayName: requiredText(100),
    roles: z.array(staffRoleSchema).min(1).max(5),
    groups: z.array(storableString().min(1).max(64)).max(50).optional(),
    locale: localeSchema.optional(),
    email: staffEmailSchema,
  })
  .strict();
export type CreateUserRequest = z.infer<typeof createUserRequestSchema>;

/**
 * `PATCH /api/users/:id` (admin): a user's display name, roles, groups and e-mail address.
 * Each field absent stays; `groups` replaces the user's groups.
 */
export const updateUserRequestSchema = z
  .object({
    displayName: requiredText(100).optional(),
    roles: z.array(staffRoleSchema).min(1).max(5).optional(),
    groups: z.array(storableString().min(1).max(64)).max(50).optional(),
    email: staffEmailSchema,
  })
  .strict()
  .refine(
    (b) =>
      b.displayName !== undefined ||
      b.roles !== undefined ||
      b.groups !== undefined ||
      b.email !== undefined,
    { message: 'nothing to change' },
  );
export type UpdateUserRequest = z.infer<typeof updateUserRequestSchema>;

/** A live session of a user as `GET /api/users/:id/sessions` lists it (never the token). */
export const sessionViewSchema = z.object({
  id: z.string(),
  kind: z.enum(['user', 'device']),
  label: z.string().nullable(),
  createdAt: z.string(),
  expiresAt: z.string(),
  /** The session the request came from. */
  current: z.boolean(),
});
export type SessionView = z.infer<typeof sessionViewSchema>;

/** `POST /api/users/:id/password` (admin): a new password for a user. */
export const resetPasswordRequestSchema = z.object({ password: passwordSchema }).strict();
export type ResetPasswordRequest = z.infer<typeof resetPasswordRequestSchema>;

/** `POST /api/auth/password`: a signed-in user changes their own password. */
export const changePasswordRequestSchema = z
  .object({ currentPassword: z.string().min(1).max(256), newPassword: passwordSchema })
  .strict();
export type ChangePasswordRequest = z.infer<typeof changePasswordRequestSchema>;

/** An entry of `GET /api/staff`: what every seat may know about a colleague. */
export const staffMemberSchema = z.object({
  id: z.string(),
  displayName: z.string(),
  roles: z.array(roleSchema),
  groupIds: z.array(z.string()),
});
export type StaffMember = z.infer<typeof staffMemberSchema>;

export const createGroupRequestSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]{1,32}$/, 'lower-case letters, digits and dashes'),
    name: requiredText(100),
    nameZh: requiredText(100),
    tier: z.number().int().min(1).max(9),
  })
  .strict();
export type CreateGroupRequest = z.infer<typeof createGroupRequestSchema>;

export const groupSchema = createGroupRequestSchema;
export type Group = z.infer<typeof groupSchema>;
