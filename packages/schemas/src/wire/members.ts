/** Answers of the project member routes (`/projects/:projectId/members`), shared by the server and the SDK. */
import { z } from 'zod';
import { orgRoleSchema, projectRoleSchema } from './users.ts';

export const memberSchema = z.object({
  user_id: z.string(),
  email: z.string(),
  name: z.string(),
  role: projectRoleSchema,
  org_role: orgRoleSchema,
  created_at: z.string(),
});
export type MemberWire = z.infer<typeof memberSchema>;
