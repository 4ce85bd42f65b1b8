/**
 * `npm run test:container`: the container image suite only (needs the image: npm run image:build).
 * Its files end in .image-spec.ts, so the main run (`npm test`) does not pick them up.
 */
const base = require('../../jest.base.js');

module.exports = {
  ...base,
  rootDir: '../..',
  roots: ['<rootDir>/test/image'],
  testRegex: '\\.image-spec\\.ts$',
  testTimeout: 60000,
};
