import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const ROOT_CLIENT_ID = 'static/taskcluster/root';

/**
 * The root client's access token: from the environment, else the one kept in the data directory,
 * else a new one written there (mode 0600) so it survives a restart.
 */
export const rootAccessToken = async (configured: string | undefined, dataDir: string): Promise<{ token: string; generated: boolean }> => {
  if (configured) return { token: configured, generated: false };
  const file = join(dataDir, 'root-access-token');
  try {
    return { token: (await readFile(file, 'utf8')).trim(), generated: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const token = randomBytes(33).toString('base64url');
  await mkdir(dataDir, { recursive: true });
  await writeFile(file, `${token}\n`, { mode: 0o600 });
  return { token, generated: true };
};
