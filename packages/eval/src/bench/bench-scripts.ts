import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Workspace package name -> whether its package.json has a `bench` script, for every folder in
 * `packagesDir` and each of `otherPackages` (package folders outside it, such as the demo shop).
 */
export function benchScripts(packagesDir: string, otherPackages: string[] = []): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const dir of [...readdirSync(packagesDir).map((d) => join(packagesDir, d)), ...otherPackages]) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        scripts?: Record<string, string>;
      };
      if (pkg.name) out.set(pkg.name, typeof pkg.scripts?.bench === 'string');
    } catch {
      // Not a package folder.
    }
  }
  return out;
}
