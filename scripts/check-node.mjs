// Runs before the tests: the toolchain (vitest 5, msw 3, ky 2) needs Node 22 or newer. npm scripts
// run on the `node` devDependency; if its install script was skipped we would silently fall back to
// the machine's Node, where failures are invisible (vitest 5's reporter crashes on Node 20).
const [major] = process.versions.node.split('.').map(Number)
if (major < 22) {
  console.error(
    `wirekit's tests need Node 22 or newer, but they are running on Node ${process.versions.node}.\n` +
      'The `node` devDependency provides it: run `npm ci` without --ignore-scripts so its install script runs.',
  )
  process.exit(1)
}
