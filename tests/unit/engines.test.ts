// `npm install` warns (EBADENGINE) for every installed package whose `engines.node` leaves out the
// running Node. The lock file records each package's engines, so this checks every installed package
// (platform packages for other machines, e.g. wasm32 bindings, are in the lock but not installed)
// against the lowest release of each Node line the README supports, not only the Node running the tests.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import semver from 'semver';

const root = path.resolve(__dirname, '../..');
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { engines?: Record<string, string> | string[]; optional?: boolean; link?: boolean }>;
};

/** The first release of each supported line, read from our own `engines` range (e.g. ^20.19 || ^22.12 || >=24). */
const lowestOfEachLine = manifest.engines.node.split('||').map((part) => semver.minVersion(part.trim())!.version);

describe('installed packages accept every supported Node version', () => {
  it('reads the supported lines from package.json', () => {
    expect(lowestOfEachLine).toEqual(['20.19.0', '22.12.0', '24.0.0']);
  });

  it.each(lowestOfEachLine)('Node %s: no package in the lock file declares an engine range without it', (node) => {
    const refusing = Object.entries(lock.packages)
      .filter(([name]) => name !== '' && existsSync(path.join(root, name)))
      .map(([name, pkg]) => [name, Array.isArray(pkg.engines) ? undefined : pkg.engines?.node] as const)
      .filter(([, range]) => range !== undefined && !semver.satisfies(node, range, { includePrerelease: true }))
      .map(([name, range]) => `${name} (node ${range})`);
    expect(refusing).toEqual([]);
  });
});
