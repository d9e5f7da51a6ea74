/**
 * A real prefer server on a free port over a test database, serving the built web app, with the
 * demo project and three users who sign in with passwords: an admin, a labeler and a reviewer.
 */
import {
  addMember,
  createAdmin,
  createExportRunner,
  createUser,
  type RunningServer,
  type Store,
  seedDemo,
  startExportWorker,
  startServer,
} from '@prefer/server';
import { WEB_DIST } from '../../node/build.js';

export const PASSWORD = 'correct horse battery staple';

export interface AppUsers {
  admin: string;
  labeler: string;
  reviewer: string;
}

export interface AppServer {
  url: string;
  projectId: string;
  datasetId: string;
  users: AppUsers;
  close(): Promise<void>;
}

export async function startAppServer(
  store: Store,
  dataDir: string,
  names: Partial<Record<keyof AppUsers, string>> = {},
): Promise<AppServer> {
  const admin = await createAdmin(store, {
    email: 'admin@example.com',
    name: names.admin ?? 'Ada Admin',
    password: PASSWORD,
  });
  const demo = await seedDemo(store, admin);
  const users = {
    admin: 'admin@example.com',
    labeler: 'labeler@example.com',
    reviewer: 'reviewer@example.com',
  };
  for (const [who, role] of [
    ['labeler', 'labeler'],
    ['reviewer', 'reviewer'],
  ] as const) {
    await createUser(store, admin, {
      email: users[who],
      name: names[who] ?? who,
      password: PASSWORD,
      role: 'member',
    });
    await addMember(store, admin, demo.projectId, { email: users[who], role });
  }
  const server: RunningServer = await startServer({
    store,
    port: 0,
    host: '127.0.0.1',
    web: { root: WEB_DIST },
  });
  const worker = startExportWorker(store, {
    dataDir,
    runner: createExportRunner({ baseUrl: server.url }),
    pollMs: 100,
  });
  return {
    url: server.url,
    projectId: demo.projectId,
    datasetId: demo.datasetId,
    users,
    async close() {
      await server.close();
      await worker.stop();
    },
  };
}
