/** Routes of users, sessions (login/logout), the caller's account, API keys and project members. */
import type { ApiRouter } from '../http/api-router.ts';
import { memberRoutes } from '../projects/member.routes.ts';
import { authRoutes } from './auth.routes.ts';
import { inviteRoutes } from './invite.routes.ts';
import { keyRoutes } from './key.routes.ts';
import { userRoutes } from './user.routes.ts';

export function accountRoutes(api: ApiRouter): void {
  authRoutes(api);
  userRoutes(api);
  inviteRoutes(api);
  keyRoutes(api);
  memberRoutes(api);
}
