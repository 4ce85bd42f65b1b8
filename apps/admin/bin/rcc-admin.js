#!/usr/bin/env node
'use strict';
// The admin service of @rcc/admin (REST API, web console, /health): `rcc-admin --help`.
require('../dist/admin/main.js');
