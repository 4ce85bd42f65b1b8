// The admin and CLI bundles carry the library inside them, compiled from its sources: @rcc/admin
// installs from its own tarball, and the library resolves @nestjs/* from the admin's own
// dependencies, so the tree holds one copy of Nest whatever else the folder has. Every other
// package stays external, as Nest's default configuration has it.
const nodeExternals = require('webpack-node-externals');

module.exports = (options) => ({
  ...options,
  externals: [nodeExternals({ allowlist: [/^@rcc\/redis-config(\/|$)/] })],
});
