/**
 * The production build (`next build` output in `.next/`): whether it is current, and building it
 * when it is not. Used by the demo and by the benchmarks that run the built Housecall (server.ts).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** True when a production build exists and no app source is newer than it. */
export function buildIsCurrent(): boolean {
  if (!fs.existsSync('.next/BUILD_ID')) return false;
  const built = fs.statSync('.next/BUILD_ID').mtimeMs;
  const newer = (dir: string): boolean =>
    fs.existsSync(dir) && fs.readdirSync(dir, { withFileTypes: true }).some((e) => {
      const p = path.join(dir, e.name);
      return e.isDirectory() ? newer(p) : fs.statSync(p).mtimeMs > built;
    });
  return !['app', 'components', 'lib'].some(newer) && !['proxy.ts', 'next.config.ts', 'package-lock.json'].some((f) => fs.existsSync(f) && fs.statSync(f).mtimeMs > built);
}

/** Builds Housecall unless the build is current (or `force`); the exit status of the build, 0 when none was needed. */
export function ensureBuild(env: NodeJS.ProcessEnv, force = false): number {
  if (buildIsCurrent() && !force) return 0;
  console.log('Building Housecall (about 30 s on two cores)…');
  return spawnSync('npx', ['next', 'build'], { stdio: ['ignore', 'inherit', 'inherit'], env }).status ?? 1;
}
