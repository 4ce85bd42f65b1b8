// The apps bundle the library from its sources (tsconfig paths), as before it became a workspace:
// node_modules/@rcc/redis-config is now a link to libs/redis-config, whose dist/ the app build
// does not write, so leaving it external would break `node dist/apps/<app>/main.js`.
const nodeExternals = require('webpack-node-externals');

module.exports = (options) => ({
  ...options,
  externals: [nodeExternals({ allowlist: [/^@rcc\/redis-config/] })],
});
