#!/usr/bin/env node
'use strict';
// The rcc command line of @rcc/admin (export, import, migrate): `rcc --help`.
require('../dist/cli/main.js');
